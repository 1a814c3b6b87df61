;;; test-gui-display.el --- orgfig images in a real graphical Emacs  -*- lexical-binding: t -*-

;;; Commentary:

;; Run by tests/gui/run.sh in a graphical Emacs under Xvfb.  These tests
;; check what batch Emacs cannot: the figure is really decoded and
;; displayed at its logical size, and repeated execution does not grow
;; Emacs's image cache.

;;; Code:

(require 'ert)
(require 'subr-x)
(require 'orgfig-test-helpers)
(require 'ob-orgfig)

(defmacro orgfig-gui-test-with-org (text &rest body)
  "Run BODY with TEXT in an Org buffer shown in the selected window."
  (declare (indent 1) (debug t))
  `(let ((buf (generate-new-buffer "*orgfig-gui-test*"))
         (org-confirm-babel-evaluate nil))
     (unwind-protect
         (progn
           (switch-to-buffer buf)
           (delete-other-windows)
           (org-mode)
           (insert ,text)
           (goto-char (point-min))
           (redisplay t)
           ,@body)
       (kill-buffer buf))))

(defun orgfig-gui-test--image ()
  "Return the image of the only orgfig overlay in the current buffer."
  (let ((ovs (orgfig-org-test-overlays)))
    (should (= 1 (length ovs)))
    (overlay-get (car ovs) 'display)))

(defun orgfig-gui-test--execute ()
  "Execute the first block and redisplay so its image is decoded."
  (orgfig-org-test-execute)
  (goto-char (point-min))
  (redisplay t))

(ert-deftest orgfig-gui-image-displayed-at-logical-size ()
  (should (display-images-p))
  (dolist (scale '(1 2))
    (orgfig-gui-test-with-org
        (format "#+begin_src orgfig :width 640 :height 480 :scale %d
(orgfig-line fig nil [1 3 2])
#+end_src
" scale)
      (orgfig-gui-test--execute)
      (let ((img (orgfig-gui-test--image)))
        (should (eq (car img) 'image))
        (should (equal (image-size img t) '(640 . 480)))
        ;; The overlay is visible in the window.
        (should (pos-visible-in-window-p
                 (overlay-start (car (orgfig-org-test-overlays)))))))))

(ert-deftest orgfig-gui-elisp-value-displayed ()
  (orgfig-gui-test-with-org
      "#+begin_src emacs-lisp
(orgfig-line (orgfig-figure :width 300 :height 200) nil [1 2 3])
#+end_src
"
    (orgfig-gui-test--execute)
    (should (equal (image-size (orgfig-gui-test--image) t) '(300 . 200)))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest orgfig-gui-display-image-after ()
  (orgfig-gui-test-with-org "| a | 1 |\n| b | 2 |\n\ntext\n"
    (let* ((png (orgfig-with-figure (f :width 200 :height 150)
                  (orgfig-line f nil [1 2])
                  (orgfig-render f)))
           (img (orgfig-png-image png)))
      (orgfig-display-image-after 20 img 'tbl)
      (redisplay t)
      (should (equal (image-size img t) '(200 . 150)))
      (orgfig-remove-images))))

(ert-deftest orgfig-gui-image-cache-flat ()
  "200 executions keep at most one orgfig image in the image cache."
  (orgfig-gui-test-with-org
      "#+begin_src orgfig :width 640 :height 480
(orgfig-line fig nil (list 1 (random 1000) 3))
#+end_src
"
    (let ((base (image-cache-size))
          s10 s200 one)
      (dotimes (i 200)
        (orgfig-gui-test--execute)
        (when (= i 0) (setq one (- (image-cache-size) base)))
        (when (= i 9) (setq s10 (image-cache-size))))
      (setq s200 (image-cache-size))
      (when (fboundp 'orgfig-gui--log)
        (orgfig-gui--log "  image-cache-size: before %d, one image %d, after 10 runs %d, after 200 runs %d"
                         base one s10 s200))
      (ert-info ((format "base %d, one image %d, after 10 %d, after 200 %d"
                         base one s10 s200))
        ;; One decoded 640x480 image is about 1.2 MB.
        (should (> one (* 640 480 3)))
        (should (<= (- s10 base) (* 1.5 one)))
        (should (< (abs (- s200 s10)) (* 0.5 one))))
      (should (orgfig-org-test-no-figures-p))
      (should (= 1 (length (orgfig-org-test-overlays))))
      ;; Removing the results flushes the last image.
      (orgfig-org-test-goto-block)
      (org-babel-remove-result)
      (redisplay t)
      (should (null (orgfig-org-test-overlays)))
      (should (< (- (image-cache-size) base) (* 0.5 one))))))

(provide 'test-gui-display)
;;; test-gui-display.el ends here
