;;; demo.el --- Run the orgfig tour: figures, HTML, and a window  -*- lexical-binding: t -*-

;;; Commentary:

;; Run by `make demo' as
;;   emacs -Q --batch -L lisp -L tests/lisp -l examples/demo.el
;; after the module was built.  It copies examples/tour.org to out/,
;; executes every block, saves each figure as out/NAME.png, writes the
;; executed document to out/tour.org and exports out/tour.html with the
;; figures embedded.  When a display is available (DISPLAY or
;; WAYLAND_DISPLAY set, and not on CI) it then starts a graphical Emacs
;; showing out/tour.org with its figures; otherwise it prints the
;; command that does.

;;; Code:

(require 'subr-x)
(require 'org)
(require 'ob-orgfig)
(require 'ox-html)

(defvar org-confirm-babel-evaluate)

(defvar orgfig-demo--root
  (file-name-directory
   (directory-file-name (file-name-directory (or load-file-name buffer-file-name))))
  "The top directory of the orgfig checkout.")

(defun orgfig-demo--say (fmt &rest args)
  "Print FMT with ARGS on its own line to standard output."
  (princ (concat (apply #'format fmt args) "\n")))

(defun orgfig-demo--save-figures (dir)
  "Write the figures shown in the current buffer to DIR; return the files.
A figure under named results is NAME.png, others figure-N.png."
  (let ((n 0) files)
    (save-excursion
      (goto-char (point-min))
      (while (re-search-forward orgfig-org--link-re nil t)
        (let* ((id (match-string-no-properties 1))
               (entry (orgfig-cache-lookup id))
               (name (save-excursion
                       (and (re-search-backward "^[ \t]*#\\+RESULTS:[ \t]*\\(.*\\)$" nil t)
                            (string-trim (match-string-no-properties 1)))))
               (base (if (and name (not (string-empty-p name))) name
                       (format "figure-%d" (1+ n))))
               (file (expand-file-name (concat base ".png") dir)))
          (cl-incf n)
          (while (member file files)
            (setq file (expand-file-name (format "%s-%d.png" base n) dir)))
          (when entry
            (let ((coding-system-for-write 'binary))
              (write-region (plist-get entry :png) nil file nil 'silent))
            (push file files)))))
    (nreverse files)))

(defun orgfig-demo--gui-available-p ()
  "Return non-nil when a graphical Emacs could be started for the user."
  (and (or (getenv "DISPLAY") (getenv "WAYLAND_DISPLAY"))
       (not (getenv "CI"))))

(defun orgfig-demo--gui-command (org-file)
  "Return the command (a list) opening ORG-FILE with its figures shown."
  (list (expand-file-name invocation-name invocation-directory)
        "-Q" "-L" (expand-file-name "lisp" orgfig-demo--root)
        "--eval"
        (format "%S"
                `(progn
                   (require 'ob-orgfig)
                   (setq org-confirm-babel-evaluate nil)
                   (find-file ,org-file)
                   (org-babel-execute-buffer)
                   (org-display-inline-images)
                   (goto-char (point-min))
                   ;; Start on the first figure.
                   (when (re-search-forward "^#\\+name: revenue-and-cost" nil t)
                     (beginning-of-line)
                     (set-window-start nil (point)))
                   (set-buffer-modified-p nil)
                   (message "orgfig tour: C-c C-c in a block runs it again")))))

(defun orgfig-demo-run ()
  "Run the demo; exit Emacs with status 1 on failure."
  (let* ((out (expand-file-name "out" orgfig-demo--root))
         (org-file (expand-file-name "tour.org" out))
         (html-file (expand-file-name "tour.html" out))
         (org-confirm-babel-evaluate nil)
         (make-backup-files nil)
         (org-html-htmlize-output-type nil)
         (start (float-time)))
    (make-directory out t)
    (copy-file (expand-file-name "examples/tour.org" orgfig-demo--root)
               org-file t)
    (with-current-buffer (find-file-noselect org-file)
      (condition-case err
          (progn
            (org-babel-execute-buffer)
            (save-buffer))
        (error
         (orgfig-demo--say "demo: executing %s failed: %s" org-file
                           (error-message-string err))
         (kill-emacs 1)))
      (let ((figures (orgfig-demo--save-figures out)))
        (let ((default-directory out))
          (org-export-to-file 'html html-file))
        (orgfig-demo--say "orgfig demo: %d blocks ran in %.1f s; open figures: %d"
                          (orgfig-demo--count-blocks)
                          (- (float-time) start)
                          (plist-get (orgfig-memory) :figures))
        (orgfig-demo--say "  document  %s" org-file)
        (orgfig-demo--say "  html      %s" html-file)
        (dolist (f figures) (orgfig-demo--say "  figure    %s" f))
        (dolist (f (directory-files out t "\\`[^.].*\\.\\(png\\|svg\\|pdf\\)\\'"))
          (unless (member f figures) (orgfig-demo--say "  file      %s" f))))
      (set-buffer-modified-p nil))
    (let ((cmd (orgfig-demo--gui-command org-file)))
      (if (orgfig-demo--gui-available-p)
          (progn
            (apply #'call-process (car cmd) nil 0 nil (cdr cmd))
            (orgfig-demo--say "Started a graphical Emacs showing %s" org-file))
        (orgfig-demo--say "No display here.  To see the figures inline, run:\n  %s"
                          (mapconcat #'shell-quote-argument cmd " "))))))

(defun orgfig-demo--count-blocks ()
  "Return the number of source blocks in the current buffer."
  (let ((n 0))
    (org-babel-map-src-blocks nil (cl-incf n))
    n))

(orgfig-demo-run)

;;; demo.el ends here
