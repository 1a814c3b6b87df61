;;; orgfig-test-helpers.el --- Org helpers for orgfig's ERT tests  -*- lexical-binding: t -*-

;;; Commentary:

;; Helpers shared by the Org-related tests (batch and GUI): temporary
;; Org buffers with babel confirmation off, running the first source
;; block, reading its results and spying on `image-flush'.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'org)
(require 'ob-core)
(require 'orgfig-test-lib)

(defvar org-confirm-babel-evaluate)

(defmacro orgfig-org-test-with-buffer (text &rest body)
  "Run BODY in a temporary Org buffer holding TEXT, point at its start.
Babel evaluation needs no confirmation and the buffer's directory is
a fresh temporary directory (deleted afterwards)."
  (declare (indent 1) (debug t))
  (let ((dir (make-symbol "dir")))
    `(let ((,dir (file-name-as-directory (make-temp-file "orgfig-test" t))))
       (unwind-protect
           (with-temp-buffer
             (let ((org-confirm-babel-evaluate nil)
                   (default-directory ,dir))
               (org-mode)
               (insert ,text)
               (goto-char (point-min))
               ,@body))
         (delete-directory ,dir t)))))

(defun orgfig-org-test-goto-block (&optional n)
  "Move point into the Nth source block (1-based, default 1)."
  (goto-char (point-min))
  (re-search-forward "^[ \t]*#\\+begin_src" nil nil (or n 1))
  (beginning-of-line))

(defun orgfig-org-test-execute (&optional n)
  "Execute the Nth source block (default 1) and return its value."
  (orgfig-org-test-goto-block n)
  (org-babel-execute-src-block))

(defun orgfig-org-test-results (&optional n)
  "Return the text of the results of the Nth block (default 1), or nil."
  (save-excursion
    (orgfig-org-test-goto-block n)
    (let ((pos (org-babel-where-is-src-block-result)))
      (when pos
        (goto-char pos)
        (forward-line 1)
        (string-trim-right
         (buffer-substring-no-properties (point) (org-babel-result-end)))))))

(defun orgfig-org-test-count (regexp)
  "Return how many times REGEXP matches in the current buffer."
  (save-excursion
    (goto-char (point-min))
    (let ((n 0))
      (while (re-search-forward regexp nil t) (cl-incf n))
      n)))

(defun orgfig-org-test-overlays ()
  "Return the overlays with the `orgfig' property in the current buffer."
  (cl-remove-if-not (lambda (ov) (overlay-get ov 'orgfig))
                    (overlays-in (point-min) (point-max))))

(defmacro orgfig-org-test-spy-flush (var &rest body)
  "Run BODY while recording every image passed to `image-flush' in VAR.
The real `image-flush' still runs."
  (declare (indent 1) (debug (symbolp body)))
  (let ((orig (make-symbol "orig")))
    `(let ((,var nil)
           (,orig (symbol-function 'image-flush)))
       (cl-letf (((symbol-function 'image-flush)
                  (lambda (spec &optional frame)
                    (push spec ,var)
                    (funcall ,orig spec frame))))
         ,@body))))

(defun orgfig-org-test-link-id (text)
  "Return the ID of the first orgfig link in TEXT, or nil."
  (and text (string-match "\\[\\[orgfig:\\([0-9a-f]+\\)\\]" text)
       (match-string 1 text)))

(defun orgfig-org-test-no-figures-p ()
  "Return non-nil when no orgfig figure is open."
  (and (null (orgfig-figures))
       (= 0 (plist-get (orgfig-memory) :figures))))

(provide 'orgfig-test-helpers)
;;; orgfig-test-helpers.el ends here
