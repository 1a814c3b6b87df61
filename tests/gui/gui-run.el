;;; gui-run.el --- Run orgfig's GUI tests inside a graphical Emacs  -*- lexical-binding: t -*-

;;; Commentary:

;; Loaded by tests/gui/run.sh in a graphical Emacs on Xvfb.
;; `orgfig-gui-run' loads every test-gui-*.el, runs ERT, appends one
;; line per test to a log file and writes "N passed, N failed" to a
;; result file, then exits (status 1 when a test failed).  A GUI Emacs
;; has no useful stdout, hence the files.

;;; Code:

(require 'ert)
(require 'cl-lib)

(defvar orgfig-gui--log nil "File the test log is appended to.")

(defun orgfig-gui--log (fmt &rest args)
  "Append a line made from FMT and ARGS to the log file."
  (let ((coding-system-for-write 'utf-8))
    (write-region (concat (apply #'format fmt args) "\n") nil
                  orgfig-gui--log t 'silent)))

(defun orgfig-gui--listener (event &rest args)
  "ERT listener: log EVENT with ARGS."
  (pcase event
    ('test-ended
     (let* ((test (nth 1 args)) (result (nth 2 args))
            (name (ert-test-name test)))
       (if (ert-test-result-expected-p test result)
           (orgfig-gui--log "  passed  %s" name)
         (orgfig-gui--log "  FAILED  %s: %S" name
                          (and (ert-test-result-with-condition-p result)
                               (ert-test-result-with-condition-condition result))))))
    (_ nil)))

(defun orgfig-gui--wait-for-frame ()
  "Wait (at most 20 s) until the selected frame is visible and can show images."
  (let ((deadline (+ (float-time) 20)))
    (while (and (< (float-time) deadline)
                (not (and (display-images-p)
                          (eq (frame-visible-p (selected-frame)) t))))
      (sit-for 0.1))
    (redisplay t)))

(defun orgfig-gui-run (dir result log)
  "Run the GUI tests in DIR; write the summary to RESULT and details to LOG."
  (setq orgfig-gui--log log
        inhibit-startup-screen t
        ring-bell-function #'ignore)
  (when (boundp 'native-comp-deferred-compilation)
    (setq native-comp-deferred-compilation nil))
  (let ((status 1))
    (condition-case err
        (progn
          (orgfig-gui--wait-for-frame)
          (unless (display-images-p)
            (error "No graphical frame: window-system is %S" window-system))
          (switch-to-buffer (get-buffer-create "*orgfig-gui*"))
          (delete-other-windows)
          (dolist (f (directory-files dir t "\\`test-gui-.*\\.el\\'"))
            (load f nil t))
          (let* ((stats (ert-run-tests t #'orgfig-gui--listener))
                 (passed (ert-stats-completed-expected stats))
                 (failed (ert-stats-completed-unexpected stats)))
            (write-region (format "%d passed, %d failed\n" passed failed)
                          nil result nil 'silent)
            (setq status (if (> failed 0) 1 0))))
      ;; `debug' lets ERT's own debugger see failures inside tests; an
      ;; outer handler without it would swallow them.
      ((debug error)
       (orgfig-gui--log "error before or while running the tests: %S" err)
       (write-region "0 passed, 1 failed\n" nil result nil 'silent)))
    (kill-emacs status)))

(provide 'gui-run)
;;; gui-run.el ends here
