;;; lint.el --- Byte-compile, checkdoc and package-lint orgfig's Lisp -*- lexical-binding: t -*-

;;; Commentary:

;; Usage: emacs -Q --batch -L lisp -l tools/lint.el -f orgfig-lint-batch FILE...
;; Each file is one test per check: it byte-compiles with no warning,
;; checkdoc finds nothing, and package-lint (Debian: elpa-package-lint)
;; finds nothing.  Prints "lint: N passed, N failed".

;;; Code:

(require 'cl-lib)
(require 'bytecomp)
(require 'checkdoc)
(require 'package)

(defvar orgfig-lint--passed 0)
(defvar orgfig-lint--failed 0)

(defun orgfig-lint--report (ok what file detail)
  "Count a check WHAT of FILE as passed when OK; print DETAIL on failure."
  (if ok
      (cl-incf orgfig-lint--passed)
    (cl-incf orgfig-lint--failed)
    (princ (format "FAIL %s %s\n%s\n" what file detail))))

(defun orgfig-lint--byte-compile (file)
  "Byte-compile FILE into a temporary directory, treating warnings as errors."
  (let* ((byte-compile-error-on-warn t)
         (byte-compile-dest-file-function
          (lambda (f) (expand-file-name (concat (file-name-base f) ".elc")
                                        temporary-file-directory)))
         (log (get-buffer-create "*Compile-Log*")))
    (with-current-buffer log (let ((inhibit-read-only t)) (erase-buffer)))
    (let ((ok (ignore-errors (byte-compile-file file))))
      (orgfig-lint--report ok "byte-compile" file
                           (with-current-buffer log (buffer-string))))))

(defun orgfig-lint--checkdoc (file)
  "Run checkdoc on FILE."
  (let* ((checkdoc-diagnostic-buffer "*orgfig-checkdoc*")
         (checkdoc-autofix-flag 'never)
         (buf (get-buffer-create checkdoc-diagnostic-buffer)))
    (with-current-buffer buf (let ((inhibit-read-only t)) (erase-buffer)))
    (with-temp-buffer
      (insert-file-contents file)
      (setq buffer-file-name file)
      (emacs-lisp-mode)
      (let ((inhibit-message t))
        (checkdoc-current-buffer t))
      (set-buffer-modified-p nil)
      (setq buffer-file-name nil))
    (let ((text (with-current-buffer buf
                  (buffer-substring-no-properties (point-min) (point-max)))))
      ;; The buffer holds a header line; findings are "FILE:LINE: ...".
      (orgfig-lint--report (not (string-match-p ":[0-9]+: " text))
                           "checkdoc" file text))))

(defun orgfig-lint--package-lint (file)
  "Run package-lint on FILE when it is installed."
  (dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
    (add-to-list 'load-path dir))
  (if (not (require 'package-lint nil t))
      (orgfig-lint--report nil "package-lint" file "package-lint is not installed")
    (with-temp-buffer
      (insert-file-contents file)
      (setq buffer-file-name file)
      (emacs-lisp-mode)
      (let* ((package-lint-main-file (expand-file-name "orgfig.el" (file-name-directory file)))
             ;; Debian 12's package-lint 0.16 predates Emacs 28.1 and calls
             ;; a dependency on it uninstallable; that one finding is wrong.
             (issues (cl-remove-if
                      (lambda (i) (string-match-p "uninstallable in all released Emacs"
                                                  (nth 3 i)))
                      (package-lint-buffer))))
        (set-buffer-modified-p nil)
        (setq buffer-file-name nil)
        (orgfig-lint--report
         (null issues) "package-lint" file
         (mapconcat (lambda (i) (format "  %s:%s: %s: %s" (nth 0 i) (nth 1 i)
                                        (nth 2 i) (nth 3 i)))
                    issues "\n"))))))

(defun orgfig-lint-batch ()
  "Lint the files named on the command line."
  (package-initialize)
  (dolist (file command-line-args-left)
    (setq file (expand-file-name file))
    (orgfig-lint--byte-compile file)
    (orgfig-lint--checkdoc file)
    (orgfig-lint--package-lint file))
  (setq command-line-args-left nil)
  (princ (format "lint: %d passed, %d failed\n" orgfig-lint--passed orgfig-lint--failed))
  (kill-emacs (if (> orgfig-lint--failed 0) 1 0)))

(provide 'lint)
;;; lint.el ends here
