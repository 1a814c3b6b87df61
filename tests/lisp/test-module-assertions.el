;;; test-module-assertions.el --- The public API under emacs -module-assertions -*- lexical-binding: t -*-

;;; Commentary:

;; Emacs's --module-assertions option makes the module API check every
;; call a module makes: values used after their environment died, local
;; values stored in C statics, calls made while a non-local exit is
;; pending, wrong environments, freed global references...  A violation
;; aborts Emacs with "Emacs module assertion: ...".
;;
;; The test runs a child `emacs -Q --batch -module-assertions' that loads
;; orgfig from the same directory as this Emacs did (so under
;; tools/asan.sh it is the sanitized module) and drives the whole public
;; API on tiny inputs (the assertions make some checks quadratic): every
;; plot function that exists, set, render to PNG/SVG/PDF, image, save,
;; info, memory, the limit, fault injection, packed columns, datasets
;; when present, errors of every kind, use after close, close-all,
;; finalizers and a second module load.  It asserts that the child
;; completed every step, exited with status 0 and printed no assertion.

;;; Code:

(require 'ert)
(require 'orgfig)

(defconst orgfig-ma--script
  '(progn
     (require 'orgfig)
     (defvar orgfig-ma--steps 0)
     (defvar orgfig-ma--dir (make-temp-file "orgfig-ma" t))
     (defmacro orgfig-ma-ok (form)
       `(progn ,form (setq orgfig-ma--steps (1+ orgfig-ma--steps))))
     (defmacro orgfig-ma-err (symbol form)
       `(condition-case nil
            (progn ,form (error "No %s from %S" ',symbol ',form))
          (,symbol (setq orgfig-ma--steps (1+ orgfig-ma--steps)))))
     (unwind-protect
         (let ((fig (orgfig-figure :width 64 :height 48 :title "t" :rows 1 :cols 2
                                   :theme 'dark)))
           ;; Every plot function that exists, on tiny data.
           (orgfig-ma-ok (orgfig-line fig nil [1 2 3] :label "a" :marker 'circle))
           (orgfig-ma-ok (orgfig-line fig '(0 1 2) (orgfig-pack [3 2 1] 'float32)))
           (orgfig-ma-ok (orgfig-scatter fig [1 2] [2 1] :size [3 4] :color [0 1]
                                         :colorbar t :axes 1))
           (orgfig-ma-ok (orgfig-bar fig '("a" "b") [1 2] :axes 1))
           (orgfig-ma-ok (orgfig-hist fig [1 2 2 3] :bins 2))
           (orgfig-ma-ok (orgfig-heatmap fig '((1 2) (3 4)) :axes 1))
           (orgfig-ma-ok (orgfig-fill-between fig [0 1] [1 2] 0))
           (orgfig-ma-ok (orgfig-errorbar fig [0 1] [1 2] [0.1 0.2]))
           (orgfig-ma-ok (orgfig-area fig [0 1] '([1 2] [2 1])))
           (orgfig-ma-ok (orgfig-box fig '([1 2 3] [2 3 9]) :axes 1))
           (orgfig-ma-ok (orgfig-pie fig '("x" "y") [1 3] :axes 1))
           (orgfig-ma-ok (orgfig-text fig 0.5 0.5 "note"))
           (orgfig-ma-ok (orgfig-hline fig 1))
           (orgfig-ma-ok (orgfig-vline fig 1 :dash 'dotted))
           (orgfig-ma-ok (orgfig-set fig :xlabel "x" :ylabel "y" :legend t :grid t
                                     :xlim '(0 3) :suptitle "s"))
           ;; Rendering, images, files.
           (dolist (format '(png svg pdf))
             (orgfig-ma-ok (orgfig-render fig format)))
           (orgfig-ma-ok (orgfig-render fig 'png t))
           (orgfig-ma-ok (orgfig-image fig))
           (orgfig-ma-ok (orgfig-save fig (expand-file-name "f.png" orgfig-ma--dir)))
           (orgfig-ma-ok (orgfig-save fig (expand-file-name "f.svg" orgfig-ma--dir)))
           (orgfig-ma-ok (orgfig-figure-info fig))
           (orgfig-ma-ok (orgfig-memory))
           (orgfig-ma-ok (orgfig-figures))
           (orgfig-ma-ok (orgfig-with-figure (g :width 32 :height 32)
                           (orgfig-line g nil [1 2])
                           (orgfig-render g)))
           ;; Columns.
           (let ((col (orgfig-pack '(1 2 3))))
             (orgfig-ma-ok (orgfig-column-info col))
             (orgfig-ma-ok (orgfig-column-values col))
             (orgfig-ma-ok (orgfig-column-values (orgfig-pack col 'time) 1 2))
             (orgfig-ma-err orgfig-invalid-data (orgfig-column-values col 0 9))
             (orgfig-ma-ok (orgfig-line fig col col)))
           ;; Datasets, when they exist.
           (when (fboundp 'orgfig-read-csv)
             (let* ((file (expand-file-name "d.csv" orgfig-ma--dir))
                    (_ (with-temp-file file (insert "a,b\n1,2\n3,4\n")))
                    (ds (orgfig-read-csv file)))
               (orgfig-ma-ok (orgfig-column-names ds))
               (orgfig-ma-ok (orgfig-dataset-info ds))
               (orgfig-ma-ok (orgfig-line fig (orgfig-column ds "a") (orgfig-column ds 1)))
               (orgfig-ma-err orgfig-invalid-data (orgfig-column ds "zz"))
               (orgfig-ma-err orgfig-file-error
                              (orgfig-read-csv (expand-file-name "none.csv" orgfig-ma--dir)))
               (orgfig-ma-ok (orgfig-close ds))
               (orgfig-ma-err orgfig-closed-figure (orgfig-column ds "a"))))
           ;; Errors of every kind: each exits through the module's signal path.
           (orgfig-ma-err wrong-type-argument (orgfig-line 42 nil [1 2]))
           (orgfig-ma-err wrong-type-argument (orgfig-line fig nil [1 "a"]))
           (orgfig-ma-err wrong-type-argument (orgfig-line fig nil [1 2] :label (orgfig-pack [1])))
           (orgfig-ma-err orgfig-invalid-data (orgfig-line fig [1 2] [1 2 3]))
           (orgfig-ma-err orgfig-invalid-data (orgfig-line fig nil [1 2] :colour "red"))
           (orgfig-ma-err orgfig-invalid-data (orgfig-figure :width 0))
           (orgfig-ma-err orgfig-invalid-data (orgfig-render fig 'gif))
           (orgfig-ma-err circular-list
                          (orgfig-line fig nil (let ((l (list 1 2))) (setcdr (cdr l) l) l)))
           (orgfig-ma-ok (orgfig-line fig nil (vector (expt 10 400) 0.0e+NaN 1.0e+INF 1)))
           ;; Fault injection and the memory limit.
           (orgfig--mod-test-fail-alloc 1)
           (orgfig-ma-err orgfig-out-of-memory (orgfig-figure :width 32 :height 32))
           (orgfig--mod-test-fail-alloc 0)
           (let ((orgfig-gc-threshold nil))
             (customize-set-variable 'orgfig-memory-limit
                                     (+ (plist-get (orgfig-memory) :bytes) 100))
             (orgfig-ma-err orgfig-memory-limit (orgfig-render fig))
             (customize-set-variable 'orgfig-memory-limit nil))
           ;; Close, use after close, close-all.
           (orgfig-ma-ok (orgfig-close fig))
           (orgfig-ma-ok (orgfig-close fig))
           (orgfig-ma-err orgfig-closed-figure (orgfig-render fig))
           (orgfig-ma-err orgfig-closed-figure (orgfig-set fig :title "x"))
           (orgfig-ma-err orgfig-closed-figure (orgfig-line fig nil [1 2]))
           (orgfig-ma-err orgfig-closed-figure (orgfig-image fig))
           (orgfig-ma-ok (orgfig-figure-info fig))
           (orgfig-ma-ok (orgfig-figure :width 32 :height 32))
           (orgfig-ma-ok (orgfig-close-all))
           ;; Finalizers of garbage figures and columns, then a second load.
           (dotimes (_ 5)
             (orgfig-line (orgfig-figure :width 32 :height 32) nil [1 2])
             (orgfig-pack [1 2]))
           (orgfig-ma-ok (garbage-collect))
           (orgfig-ma-ok (module-load (expand-file-name
                                       (concat "orgfig-module" module-file-suffix)
                                       orgfig--directory)))
           (orgfig-ma-ok (orgfig-with-figure (g :width 32 :height 32)
                           (orgfig-line g nil [1 2])
                           (orgfig-render g))))
       (delete-directory orgfig-ma--dir t))
     (princ (format "orgfig-ma: completed %d steps\n" orgfig-ma--steps))
     (kill-emacs 0))
  "The program the child Emacs runs.")

(ert-deftest orgfig-module-assertions-whole-api ()
  "The whole public API runs under -module-assertions without a violation."
  (let* ((emacs (expand-file-name invocation-name invocation-directory))
         (script (make-temp-file "orgfig-ma" nil ".el"
                                 (concat ";;; -*- lexical-binding: t -*-\n"
                                         (prin1-to-string orgfig-ma--script)
                                         "\n")))
         (process-environment (cons "ORGFIG_MA_CHILD=1" process-environment))
         status output)
    (unwind-protect
        (with-temp-buffer
          (setq status (call-process emacs nil t nil "-Q" "--batch" "-module-assertions"
                                     "-L" orgfig--directory "-l" script))
          (setq output (buffer-string)))
      (delete-file script))
    (unless (and (eq status 0) (string-match-p "orgfig-ma: completed" output))
      (message "child output:\n%s" output))
    (should-not (string-match-p "Emacs module assertion" output))
    (should (eq status 0))
    (should (string-match "orgfig-ma: completed \\([0-9]+\\) steps" output))
    (should (>= (string-to-number (match-string 1 output)) 50))))

(provide 'test-module-assertions)
;;; test-module-assertions.el ends here
