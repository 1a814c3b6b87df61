;;; run-tests.el --- Run orgfig's ERT suites in batch -*- lexical-binding: t -*-

;;; Commentary:

;; Usage: emacs -Q --batch -L lisp -L tests/lisp -l tests/run-tests.el \
;;          -f orgfig-test-run-batch DIR [SELECTOR-REGEXP]
;; Loads every DIR/test-*.el, runs the tests (those matching the regexp
;; when one is given) and prints "ert: N passed, N failed" as the last
;; line; exits non-zero when a test failed.  ERT's own summary line is
;; not one the CI recognises, hence this wrapper.

;;; Code:

(require 'ert)

(defun orgfig-test-run-batch ()
  "Run the tests in the directory named on the command line."
  (let* ((dir (pop command-line-args-left))
         (selector (if command-line-args-left (pop command-line-args-left) t))
         (files (directory-files dir t "\\`test-.*\\.el\\'"))
         (load-failures nil))
    (setq load-prefer-newer t)
    (dolist (f files)
      (condition-case err
          (load f nil t)
        (error
         (push f load-failures)
         (princ (format "LOAD FAILED %s: %S\n" f err)))))
    (let* ((stats (ert-run-tests-batch selector))
           (failed (+ (ert-stats-completed-unexpected stats) (length load-failures)))
           (skipped (ert-stats-skipped stats))
           ;; ERT counts skipped tests as expected results; they did not pass.
           (passed (- (ert-stats-completed-expected stats) skipped)))
      (princ (format "ert: %d passed, %d failed%s\n" passed failed
                     (if (> skipped 0) (format ", %d skipped" skipped) "")))
      (kill-emacs (if (> failed 0) 1 0)))))

(provide 'run-tests)
;;; run-tests.el ends here
