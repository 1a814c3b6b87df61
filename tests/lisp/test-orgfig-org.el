;;; test-orgfig-org.el --- Tests of orgfig's Org display and auto-close  -*- lexical-binding: t -*-

;;; Commentary:

;; Batch ERT tests of orgfig-org.el: the display API and its image
;; flushing (observed by spying on `image-flush'), the figure cache,
;; redisplay, terminal behaviour, auto-close of emacs-lisp blocks,
;; figure values of emacs-lisp blocks and export.  Batch Emacs never
;; decodes images; tests/gui/ checks the real image cache.

;;; Code:

(require 'ert)
(require 'subr-x)
(require 'orgfig-test-helpers)
(require 'ob-orgfig)
(require 'ox-html)
(require 'ox-latex)

(defvar orgfig-org-test--seen nil
  "Values blocks under test store for inspection.")

(defun orgfig-org-test--png (&optional w h)
  "Return the PNG bytes of a W×H figure with a line (default 64×48)."
  (orgfig-with-figure (f :width (or w 64) :height (or h 48))
    (orgfig-line f nil (list 1 (random 100) 3))
    (orgfig-render f)))

;;;; Display API

(defun orgfig-org-test--after-image (ov)
  "Return the image in the `after-string' of overlay OV."
  (let* ((s (overlay-get ov 'after-string))
         (i (text-property-not-all 0 (length s) 'display nil s)))
    (and i (get-text-property i 'display s))))

(ert-deftest orgfig-org-display-image-replaces-and-flushes ()
  (with-temp-buffer
    (buffer-enable-undo)
    (insert "line one\nline two\n")
    (let* ((undo buffer-undo-list)
           (png (orgfig-org-test--png))
           (i1 (orgfig-png-image png))
           (i2 (orgfig-png-image png))
           (ov1 (orgfig-display-image 1 9 i1)))
      (should (eq (overlay-get ov1 'display) i1))
      (should (overlay-get ov1 'orgfig))
      (should (overlay-get ov1 'evaporate))
      ;; Overlays are not recorded in the undo list.
      (should (eq buffer-undo-list undo))
      (orgfig-org-test-spy-flush flushed
        ;; An image on the next line leaves the first alone.
        (orgfig-display-image 10 18 i2)
        (should (overlay-buffer ov1))
        (should (null flushed))
        ;; Overlapping replaces and flushes the exact old object.
        (let ((ov3 (orgfig-display-image 3 5 i2)))
          (should-not (overlay-buffer ov1))
          (should (memq i1 flushed))
          (should (= 2 (length (orgfig-org-test-overlays))))
          (setq flushed nil)
          ;; Editing the text under an image flushes it and removes it.
          (goto-char 4)
          (insert "x")
          (should (memq i2 flushed))
          (should-not (overlay-buffer ov3))))
      (should (= 1 (length (orgfig-org-test-overlays))))
      (orgfig-org-test-spy-flush flushed
        (should (= 1 (orgfig-remove-images)))
        (should (memq i2 flushed)))
      (should (null (orgfig-org-test-overlays))))))

(ert-deftest orgfig-org-display-image-after ()
  (with-temp-buffer
    (insert "| a |\n| b |\ntext\n")
    (let* ((png (orgfig-org-test--png))
           (i1 (orgfig-png-image png))
           (i2 (orgfig-png-image png))
           (text (buffer-string))
           (ov (orgfig-display-image-after 12 i1 'table-1)))
      (should (= (overlay-start ov) (overlay-end ov) 12))
      (should (eq (orgfig-org-test--after-image ov) i1))
      (should (equal (buffer-string) text))
      (orgfig-org-test-spy-flush flushed
        (let ((ov2 (orgfig-display-image-after 6 i2 'table-1)))
          (should (memq i1 flushed))
          (should-not (overlay-buffer ov))
          (should (overlay-buffer ov2))
          ;; At POS without a key also replaces.
          (orgfig-display-image-after 6 i1)
          (should (memq i2 flushed))
          (should-not (overlay-buffer ov2)))))))

(ert-deftest orgfig-org-dead-overlay-flushed ()
  "An overlay deleted behind orgfig's back still gets its image flushed."
  (with-temp-buffer
    (insert "abc\ndef\n")
    (let ((i1 (orgfig-png-image (orgfig-org-test--png)))
          (i2 (orgfig-png-image (orgfig-org-test--png))))
      (orgfig-display-image 1 4 i1)
      (orgfig-display-image 5 8 i2)
      (orgfig-org-test-spy-flush flushed
        ;; No modification hooks: the overlay just evaporates.
        (let ((inhibit-modification-hooks t))
          (delete-region 1 4))
        (should (null flushed))
        (should (= 1 (length (orgfig-org-test-overlays))))
        ;; The next orgfig operation flushes it, and only it.
        (should (= 0 (orgfig-remove-images 1 2)))
        (should (equal flushed (list i1)))))))

(ert-deftest orgfig-org-kill-buffer-flushes ()
  (let ((img (orgfig-png-image (orgfig-org-test--png)))
        (buf (generate-new-buffer "orgfig-kill")))
    (with-current-buffer buf
      (insert "abc")
      (orgfig-display-image 1 3 img))
    (orgfig-org-test-spy-flush flushed
      (kill-buffer buf)
      (should (memq img flushed)))))

;;;; Cache

(ert-deftest orgfig-org-cache-lru ()
  (let* ((orgfig-org--cache (make-hash-table :test #'equal))
         (a (make-string 1000 ?a)) (b (make-string 1000 ?b))
         (c (make-string 1000 ?c))
         (orgfig-image-cache-size 2500)
         ida idb idc)
    (let ((orgfig-org--recent nil)) (setq ida (orgfig-cache-store a :width 1)))
    (let ((orgfig-org--recent nil)) (setq idb (orgfig-cache-store b)))
    ;; Content addressed: the same bytes give the same entry.
    (let ((orgfig-org--recent nil))
      (should (equal (orgfig-cache-store (copy-sequence a)) ida)))
    (should (= 2 (plist-get (orgfig-cache-info) :entries)))
    ;; a was used last, so b goes when c arrives.
    (let ((orgfig-org--recent nil)) (setq idc (orgfig-cache-store c)))
    (should (orgfig-cache-lookup ida))
    (should-not (orgfig-cache-lookup idb))
    (should (orgfig-cache-lookup idc))
    (should (<= (plist-get (orgfig-cache-info) :bytes) 2500))
    ;; Outside blocks nothing accumulates: only the new entry is spared.
    (let ((orgfig-image-cache-size 1500))
      (should (eq orgfig-org--recent :none))
      (orgfig-cache-store a)
      (should (eq orgfig-org--recent :none))
      (setq idb (orgfig-cache-store b))
      (should (= 1 (plist-get (orgfig-cache-info) :entries)))
      (should (orgfig-cache-lookup idb)))
    ;; Size 0 keeps only what the current block stored.
    (let ((orgfig-image-cache-size 0) (orgfig-org--recent nil))
      (orgfig-cache-store b)
      (should (= 1 (plist-get (orgfig-cache-info) :entries)))
      (should (orgfig-cache-lookup idb)))))

;;;; Babel display

(defconst orgfig-org-test--block
  "#+begin_src orgfig :width 200 :height 100
(orgfig-line fig nil (list 1 2 3))
#+end_src
")

(ert-deftest orgfig-org-block-shows-image ()
  (orgfig-org-test-with-buffer orgfig-org-test--block
    (orgfig-org-test-execute)
    (let* ((ovs (orgfig-org-test-overlays))
           (ov (car ovs))
           (img (overlay-get ov 'display))
           (id (orgfig-org-test-link-id (orgfig-org-test-results))))
      (should (= 1 (length ovs)))
      (should (eq (car img) 'image))
      (should (equal (image-property img :data)
                     (plist-get (orgfig-cache-lookup id) :png)))
      (should (equal (buffer-substring (overlay-start ov) (overlay-end ov))
                     (orgfig-org-test-results)))
      ;; Executing again replaces the image and flushes the old one.
      (orgfig-org-test-spy-flush flushed
        (orgfig-org-test-execute)
        (should (memq img flushed))
        (should (= 1 (length (orgfig-org-test-overlays))))
        (should-not (eq img (overlay-get (car (orgfig-org-test-overlays))
                                         'display))))
      ;; Removing the results flushes too.
      (let ((img2 (overlay-get (car (orgfig-org-test-overlays)) 'display)))
        (orgfig-org-test-spy-flush flushed
          (orgfig-org-test-goto-block)
          (org-babel-remove-result)
          (should (memq img2 flushed))
          (should (null (orgfig-org-test-overlays)))
          (should-not (orgfig-org-test-results)))))))

(ert-deftest orgfig-org-redisplay-buffer ()
  (orgfig-org-test-with-buffer orgfig-org-test--block
    (orgfig-org-test-execute)
    (orgfig-remove-images)
    (should (null (orgfig-org-test-overlays)))
    (should (equal (orgfig-redisplay-buffer) '(1 . 0)))
    (should (= 1 (length (orgfig-org-test-overlays))))
    ;; A figure no longer cached is counted as missing.
    (let ((orgfig-org--cache (make-hash-table :test #'equal)))
      (orgfig-remove-images)
      (should (equal (orgfig-redisplay-buffer) '(0 . 1)))
      (should (null (orgfig-org-test-overlays))))))

(ert-deftest orgfig-org-revert-shows-again ()
  "After `revert-buffer' the cached figures are shown again."
  (let* ((dir (make-temp-file "orgfig-revert" t))
         (file (expand-file-name "r.org" dir))
         (org-confirm-babel-evaluate nil))
    (unwind-protect
        (progn
          (with-temp-file file (insert orgfig-org-test--block))
          (with-current-buffer (find-file-noselect file)
            (unwind-protect
                (progn
                  (orgfig-org-test-execute)
                  (save-buffer)
                  (let ((old (car (orgfig-org-test-overlays))))
                    (orgfig-org-test-spy-flush flushed
                      (revert-buffer t t)
                      (should (memq (overlay-get old 'display) flushed)))
                    (should-not (overlay-buffer old)))
                  (should (= 1 (length (orgfig-org-test-overlays)))))
              (set-buffer-modified-p nil)
              (kill-buffer))))
      (delete-directory dir t))))

(ert-deftest orgfig-org-terminal ()
  "Without image support results are inserted, no overlay, one message."
  (let ((orgfig-org--warned-terminal nil) (messages nil))
    (cl-letf (((symbol-function 'orgfig-org--display-p) #'ignore)
              ((symbol-function 'message)
               (lambda (fmt &rest args)
                 (when fmt (push (apply #'format fmt args) messages)))))
      (orgfig-org-test-with-buffer orgfig-org-test--block
        (orgfig-org-test-execute)
        (orgfig-org-test-execute)
        (should (string-prefix-p "[[orgfig:" (orgfig-org-test-results)))
        (should (null (orgfig-org-test-overlays)))))
    (should (= 1 (cl-count "orgfig: images need a graphical frame" messages
                           :test #'equal)))))

;;;; Auto-close and emacs-lisp blocks

(ert-deftest orgfig-org-auto-close-elisp ()
  (should orgfig-auto-close-mode)
  (orgfig-org-test-with-buffer
      "#+begin_src emacs-lisp
(setq orgfig-org-test--seen (orgfig-figure))
42
#+end_src
"
    (setq orgfig-org-test--seen nil)
    (orgfig-org-test-execute)
    (should (equal (orgfig-org-test-results) ": 42"))
    (should (orgfig-figure-p orgfig-org-test--seen))
    (should-not (orgfig-live-p orgfig-org-test--seen))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest orgfig-org-auto-close-elisp-error ()
  (orgfig-org-test-with-buffer
      "#+begin_src emacs-lisp
(setq orgfig-org-test--seen (orgfig-figure))
(error \"elisp boom\")
#+end_src
"
    (setq orgfig-org-test--seen nil)
    (should-error (orgfig-org-test-execute))
    (should-not (orgfig-live-p orgfig-org-test--seen))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest orgfig-org-auto-close-off ()
  (orgfig-org-test-with-buffer
      "#+begin_src emacs-lisp
(setq orgfig-org-test--seen (orgfig-figure))
nil
#+end_src
"
    (let ((orgfig-auto-close-mode nil))
      (orgfig-org-test-execute))
    (should (orgfig-live-p orgfig-org-test--seen))
    (orgfig-close orgfig-org-test--seen)))

(ert-deftest orgfig-org-elisp-keep ()
  (orgfig-org-test-with-buffer
      "#+begin_src emacs-lisp :keep yes
(setq orgfig-org-test--seen (orgfig-figure))
nil
#+end_src
"
    (orgfig-org-test-execute)
    (should (orgfig-live-p orgfig-org-test--seen))
    (orgfig-close orgfig-org-test--seen)
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest orgfig-org-elisp-figure-value ()
  "An emacs-lisp block whose value is a figure shows it."
  (orgfig-org-test-with-buffer
      "#+begin_src emacs-lisp :var n=3
(let ((f (orgfig-figure :width 160 :height 120 :title \"E\")))
  (setq orgfig-org-test--seen f)
  (orgfig-line f nil (number-sequence 1 n)))
#+end_src
"
    (dotimes (_ 2)
      (orgfig-org-test-execute)
      (let* ((text (orgfig-org-test-results))
             (entry (orgfig-cache-lookup (orgfig-org-test-link-id text))))
        (should (string-match-p
                 "\\`\\[\\[orgfig:[0-9a-f]\\{16\\}\\]\\[orgfig: \"E\" 160×120 line plot\\]\\]\\'"
                 text))
        (should (equal (orgfig-test-png-size (plist-get entry :png)) '(160 . 120)))
        (should (= 1 (length (orgfig-org-test-overlays))))
        (should (= 1 (orgfig-org-test-count "\\[\\[orgfig:")))))
    (should-not (orgfig-live-p orgfig-org-test--seen))
    (should (orgfig-org-test-no-figures-p))))

;;;; Export

(ert-deftest orgfig-org-export-html ()
  (orgfig-org-test-with-buffer (concat "Text.\n\n" orgfig-org-test--block)
    (let* ((html (org-export-as 'html nil nil t))
           (b64 (and (string-match
                      "<img src=\"data:image/png;base64,\\([A-Za-z0-9+/=]+\\)\" alt=\"orgfig: 200×100 line plot\" width=\"200\" height=\"100\""
                      html)
                     (match-string 1 html))))
      (should b64)
      (should (equal (orgfig-test-png-size (base64-decode-string b64))
                     '(200 . 100))))
    ;; Export works on a copy: the buffer itself is unchanged.
    (should-not (orgfig-org-test-results))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest orgfig-org-export-latex-pdf ()
  (orgfig-org-test-with-buffer orgfig-org-test--block
    (let* ((tex (expand-file-name "doc.tex"))
           (out (org-export-to-file 'latex tex))
           (text (with-temp-buffer (insert-file-contents out) (buffer-string))))
      (should (string-match "\\\\includegraphics\\[[^]]*\\]{\\(orgfig-[0-9a-f]+\\.pdf\\)}"
                            text))
      (let ((pdf (expand-file-name (match-string 1 text))))
        (should (file-exists-p pdf))
        (should (string-prefix-p
                 "%PDF" (with-temp-buffer
                          (set-buffer-multibyte nil)
                          (insert-file-contents-literally pdf)
                          (buffer-string))))))
    (should (orgfig-org-test-no-figures-p))))

(provide 'test-orgfig-org)
;;; test-orgfig-org.el ends here
