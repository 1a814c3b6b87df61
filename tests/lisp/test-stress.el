;;; test-stress.el --- Long-running use of orgfig in one Emacs -*- lexical-binding: t -*-

;;; Commentary:

;; Stress tests (issue 6), sized to run in well under a minute together:
;; - thousands of create/render/close cycles must not grow the process
;;   (RSS from /proc/self/status) nor orgfig's byte counter;
;; - thousands of figures dropped without closing must be freed by the
;;   garbage collector (their finalizers), bytes and all;
;; - a figure whose render is running refuses re-entrant use with
;;   `orgfig-busy' from any Lisp that can run meanwhile (the progress
;;   reporter, `post-gc-hook', a timer - though Emacs 28's
;;   process_input, the render's poll, runs no Lisp timers), and the
;;   outer render still returns a valid PNG.
;; Under the sanitizers (ORGFIG_TEST_SANITIZED, set by tools/asan.sh)
;; the cycle counts are divided by 5 and RSS is not checked (ASan holds
;; freed memory in quarantine): the point there is memory errors, and
;; the module is several times slower.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'orgfig)
(require 'orgfig-test-lib)

(defconst orgfig-stress--scale (if (getenv "ORGFIG_TEST_SANITIZED") 5 1)
  "Divisor of the cycle counts.")

(defun orgfig-stress--rss-kb ()
  "Return this process's resident set size in kB, or nil if unknown."
  (when (file-readable-p "/proc/self/status")
    (with-temp-buffer
      (insert-file-contents "/proc/self/status")
      (when (re-search-forward "^VmRSS:[ \t]*\\([0-9]+\\) kB" nil t)
        (string-to-number (match-string 1))))))

(defun orgfig-stress--bytes ()
  "Bytes orgfig holds now."
  (plist-get (orgfig-memory) :bytes))

(defun orgfig-stress--cycle (y)
  "Make a small figure with line Y, render it, close it; return the PNG."
  (let ((fig (orgfig-figure :width 160 :height 120 :title "cycle")))
    (unwind-protect
        (progn (orgfig-line fig nil y :label "y")
               (orgfig-set fig :legend t)
               (orgfig-render fig))
      (orgfig-close fig))))

(ert-deftest orgfig-stress-cycles-keep-memory-flat ()
  "10,000 create/render/close cycles: RSS grows at most 5 MB after warm-up."
  (skip-unless (orgfig-stress--rss-kb))
  (let* ((warm (/ 500 orgfig-stress--scale))
         (cycles (/ 10000 orgfig-stress--scale))
         (y (let ((v (make-vector 100 0.0)))
              (dotimes (i 100 v) (aset v i (sin (* i 0.1))))))
         (bytes0 (orgfig-stress--bytes))
         rss0 png)
    (dotimes (_ warm) (orgfig-stress--cycle y))
    (garbage-collect)
    (setq rss0 (orgfig-stress--rss-kb))
    (dotimes (_ cycles) (setq png (orgfig-stress--cycle y)))
    (garbage-collect)
    (let ((growth (- (orgfig-stress--rss-kb) rss0)))
      (message "orgfig-stress: %d cycles, RSS %d kB -> growth %d kB"
               cycles rss0 growth)
      (should (orgfig-test-png-p png))
      (should (equal (orgfig-test-png-size png) '(160 . 120)))
      ;; ASan keeps freed memory in quarantine, so RSS says nothing there.
      (unless (getenv "ORGFIG_TEST_SANITIZED")
        (should (<= growth (* 5 1024)))))
    ;; Every figure was closed and its struct finalized: nothing is left.
    (should (= (orgfig-stress--bytes) bytes0))))

(defun orgfig-stress--drop-figures (n)
  "Make N figures with a little data and keep no reference to any."
  (dotimes (i n)
    (orgfig-line (orgfig-figure :width 64 :height 48) nil (vector i 1 2)))
  nil)

(ert-deftest orgfig-stress-unclosed-figures-are-collected ()
  "10,000 figures dropped without closing: GC frees at least 99% of them."
  (let ((n (/ 10000 orgfig-stress--scale))
        (orgfig-gc-threshold nil)) ; only our collection, at the end
    (garbage-collect)
    (let ((open0 (plist-get (orgfig-memory) :figures))
          (bytes0 (orgfig-stress--bytes))
          open1 bytes1)
      (orgfig-stress--drop-figures n)
      (setq open1 (plist-get (orgfig-memory) :figures)
            bytes1 (orgfig-stress--bytes))
      ;; (A collection may already have run inside the loop.)
      (should (> bytes1 bytes0))
      (garbage-collect)
      (let ((left (- (plist-get (orgfig-memory) :figures) open0))
            (bytes-left (- (orgfig-stress--bytes) bytes0)))
        (message "orgfig-stress: %d dropped, %d open before GC, %d after; bytes %d -> %d"
                 n (- open1 open0) left (- bytes1 bytes0) bytes-left)
        ;; Conservative stack scanning may keep a few alive.
        (should (<= left (/ n 100)))
        (should (<= bytes-left (/ (- bytes1 bytes0) 100)))
        (should (<= (length (orgfig-figures)) (+ open0 (/ n 100))))))))

(defun orgfig-stress--use-everything-then-close ()
  "Make figures, columns and a dataset, use them, close them; return nil.
A separate function, so that no reference to them stays in a live
stack frame when the caller collects garbage."
  (let ((objs nil))
    (dotimes (i 20)
      (let ((fig (orgfig-figure :width 100 :height 80 :rows 2 :cols 2
                                :title (format "f%d" i))))
        (orgfig-line fig nil (make-vector 1000 1.5) :label "a")
        (orgfig-scatter fig [1 2 3] [3 2 1] :axes 1 :size [1 2 3])
        (orgfig-hist fig (number-sequence 1 100) :axes 2)
        (orgfig-set fig :axes 3 :xlabel "x" :xlim '(0 1))
        (orgfig-render fig 'png)
        (push fig objs)))
    (let ((col (orgfig-pack (make-vector 5000 2.0) 'float32)))
      (orgfig-line (car objs) col col))
    (when (fboundp 'orgfig-read-csv)
      (let ((file (make-temp-file "orgfig-stress" nil ".csv" "a,b\n1,2\n3,4\n")))
        (unwind-protect
            (let ((ds (orgfig-read-csv file)))
              (orgfig-line (cadr objs) (orgfig-column ds "a") (orgfig-column ds 1))
              (push ds objs))
          (delete-file file))))
    (cl-assert (> (plist-get (orgfig-memory) :figures) 0))
    (mapc #'orgfig-close objs)
    nil))

(ert-deftest orgfig-stress-memory-returns-to-baseline ()
  "Closing every figure and dataset and collecting garbage restores :bytes.
Exactly: once nothing refers to them, the closed figures' structs, the
packed and dataset columns and everything else are freed, and the byte
count equals its value before the test."
  (garbage-collect)
  (let ((base (orgfig-stress--bytes))
        (figs (plist-get (orgfig-memory) :figures))
        (columns (plist-get (orgfig-memory) :columns)))
    (orgfig-stress--use-everything-then-close)
    ;; Closed: only the small structs and the column objects remain.
    (should (= (plist-get (orgfig-memory) :figures) figs))
    (garbage-collect)
    (should (= (plist-get (orgfig-memory) :columns) columns))
    (should (= (orgfig-stress--bytes) base))))

;;;; Allocation failures through the module, every plot kind

(defconst orgfig-stress--kinds
  '((line [0 1 2 3] [1 3 2 4] :label "l" :marker circle)
    (scatter [0 1 2 3] [1 3 2 4] :size [5 10 15 20] :color [1 2 3 4] :colorbar t)
    (bar ("a" "b" "c") [3 1 2] :edgecolor "black")
    (hist [1 2 2 3 3 3 4 4 5] :bins 4)
    (heatmap ([1 2 3] [4 5 6]) :annotate t)
    (fill-between [0 1 2] [1 2 1] 0 :alpha 0.3)
    (errorbar [0 1 2] [1 2 1] [0.1 0.2 0.1] :capsize 3)
    (area [0 1 2] ([1 2 1] [2 1 2]) :labels ("p" "q"))
    (box ([1 2 3 4 10] [2 3 4 5]) :labels ("a" "b"))
    (pie ("a" "b" "c") [1 2 3] :autopct t)
    (text 0.5 0.5 "note" :rotation 30)
    (hline 1.5 :dash dashed)
    (vline 0.5 :label "v"))
  "One representative call per plot kind: (KIND ARGS... PROPS...).")

(defun orgfig-stress--kind-call (spec)
  "Split SPEC from `orgfig-stress--kinds' into (KIND ARGS PROPS)."
  (let* ((kind (car spec))
         (rest (cdr spec))
         (nargs (cl-position-if #'keywordp rest)))
    (list kind (vconcat (cl-subseq rest 0 nargs))
          (vconcat (and nargs (cl-subseq rest nargs))))))

(defun orgfig-stress--fault-runs (kind args props format)
  "Fail each allocation of a figure/plot/render of KIND in turn.
Return the number of failure points; signal a test failure on any
error other than `orgfig-out-of-memory', on a figure left unusable or
on output that is not FORMAT."
  (let ((n 1) (done nil))
    (while (and (not done) (< n 2000))
      (let (fig)
        (condition-case err
            (progn
              (orgfig--mod-test-fail-alloc n)
              (setq fig (orgfig--mod-figure-new [:width 120 :height 90 :title "F"]))
              (orgfig--mod-set fig [:xlabel "x" :legend t :grid t])
              (orgfig--mod-plot fig kind args props)
              (let ((out (orgfig--mod-render fig format nil nil)))
                (should (stringp out))
                (should (> (length out) 100)))
              (setq done t))
          (orgfig-out-of-memory (should (stringp (cadr err)))))
        (orgfig--mod-test-fail-alloc 0)
        (when fig
          (should (orgfig-test-png-p (orgfig--mod-render fig 'png nil nil)))
          (orgfig--mod-close fig)))
      (cl-incf n))
    (should done)
    (1- n)))

(defun orgfig-stress--faults-all-kinds ()
  "Run the fault loop for every kind the module has; return the kinds run."
  (let ((ran nil))
    (dolist (spec orgfig-stress--kinds)
      (pcase-let ((`(,kind ,args ,props) (orgfig-stress--kind-call spec)))
        (unless (condition-case err
                    (let ((fig (orgfig-figure :width 50 :height 50)))
                      (unwind-protect
                          (progn (orgfig--mod-plot fig kind args props) nil)
                        (orgfig-close fig)))
                  (orgfig-invalid-data
                   (if (string-match-p "not available" (cadr err))
                       t
                     (signal (car err) (cdr err)))))
          (dolist (format (if (eq kind 'line) '(png svg pdf) '(png)))
            (let ((points (orgfig-stress--fault-runs kind args props format)))
              (should (> points 3))
              (push (list kind format points) ran))))))
    ran))

(ert-deftest orgfig-stress-allocation-failures-every-kind ()
  "Every allocation of every plot kind's figure/plot/render fails cleanly.
No crash, only `orgfig-out-of-memory', the figure stays usable, and
once everything is collected not one counted byte is left."
  (garbage-collect)
  (let ((base (orgfig-stress--bytes))
        (ran (orgfig-stress--faults-all-kinds)))
    (message "orgfig-stress: fault points %S" ran)
    (should (assq 'line ran))
    (garbage-collect)
    (should (= (orgfig-stress--bytes) base))))

;;;; Re-entrant use while a render runs

(defvar orgfig-stress--in-render nil
  "Non-nil while the outer render of the re-entrancy test runs.")

(defun orgfig-stress--big-figure ()
  "Return a figure whose render polls and reports progress.
The core reports progress for renders of at least 2 million points, so
this is a scatter of 2,000,000 points (packed into one column)."
  (let* ((n 2000000)
         (col (let ((v (make-vector n 0.0)))
                (dotimes (i n) (aset v i (sin (* i 0.001))))
                (orgfig-pack v)))
         (fig (orgfig-figure :width 200 :height 150)))
    (orgfig-scatter fig col col)
    fig))

(ert-deftest orgfig-stress-reentrant-use-is-busy ()
  "Lisp that runs during a render and uses the figure gets `orgfig-busy'.
Timers, `post-gc-hook' and the progress reporter all try render, line,
set and close on the figure being rendered.  Every attempt made while
the render runs must signal `orgfig-busy'; the outer render must still
return a valid PNG and the figure must be intact afterwards."
  (let* ((fig (orgfig-stress--big-figure))
         (inside nil)   ; error symbols of attempts made during the render
         (outside nil)  ; outcomes of attempts made after it
         (attempt
          (lambda ()
            (dolist (thunk (list (lambda () (orgfig-render fig))
                                 (lambda () (orgfig-line fig nil [1 2]))
                                 (lambda () (orgfig-set fig :title "re-entered"))
                                 (lambda () (orgfig-close fig))))
              (let ((r (condition-case err (progn (funcall thunk) 'ok)
                         (error (car err)))))
                (if orgfig-stress--in-render
                    (push r inside)
                  (push r outside))))))
         (timer (run-at-time 0 nil attempt))
         (gc-hook (lambda () (when orgfig-stress--in-render (funcall attempt))))
         (orig-progress (symbol-function 'orgfig--progress))
         png)
    (unwind-protect
        (progn
          (add-hook 'post-gc-hook gc-hook)
          (cl-letf (((symbol-function 'orgfig--progress)
                     (lambda (fraction)
                       (funcall attempt)
                       (funcall orig-progress fraction))))
            (let ((orgfig-stress--in-render t))
              (setq png (orgfig-render fig))))
          ;; Let the timer run now if it did not run during the render.
          (sit-for 0.05)
          (message "orgfig-stress: %d re-entrant attempts during the render, %d after"
                   (length inside) (length outside))
          (should (orgfig-test-png-p png))
          (should (equal (orgfig-test-png-size png) '(200 . 150)))
          ;; The progress reporter ran Lisp during the render.
          (should inside)
          (dolist (r inside) (should (eq r 'orgfig-busy)))
          ;; After the render the figure was usable: the timer's attempts
          ;; rendered, plotted, set and finally closed it.
          (when outside
            (should (equal (reverse outside) '(ok ok ok ok)))
            (should-not (orgfig-live-p fig))))
      (cancel-timer timer)
      (remove-hook 'post-gc-hook gc-hook)
      (orgfig-close fig))))

(defun orgfig-stress--progress-messages (thunk)
  "Call THUNK; return the progress messages it showed, oldest first."
  (let (msgs)
    (cl-letf* ((orig (symbol-function 'message))
               ((symbol-function 'message)
                (lambda (fmt &rest args)
                  (when (and fmt (string-prefix-p "orgfig: working" fmt))
                    (push (apply #'format fmt args) msgs))
                  (apply orig fmt args))))
      (funcall thunk))
    (nreverse msgs)))

(ert-deftest orgfig-stress-progress-reaches-the-echo-area ()
  "A long render shows its progress in the echo area, throttled.
The messages name the percentage and how to stop, rise, come at most
every 0.2 s, and end with \"done\"; none is logged in *Messages*."
  (let ((fig (orgfig-stress--big-figure))
        (orgfig--progress-state nil)
        (orgfig--progress-delay 0)
        (log-before (with-current-buffer (messages-buffer) (buffer-size)))
        msgs t0 t1)
    (unwind-protect
        (progn
          (setq t0 (float-time))
          (setq msgs (orgfig-stress--progress-messages
                      (lambda () (should (orgfig-test-png-p (orgfig-render fig))))))
          (setq t1 (float-time)))
      (orgfig-close fig))
    (should (>= (length msgs) 2))
    (should (equal (car (last msgs)) "orgfig: working... done"))
    (let ((pcts (mapcar (lambda (m)
                          (should (string-match
                                   "\\`orgfig: working\\.\\.\\. \\([0-9]+\\)% (C-g to stop)\\'" m))
                          (string-to-number (match-string 1 m)))
                        (butlast msgs))))
      (should (< (car pcts) 100))
      (should (equal pcts (sort (copy-sequence pcts) #'<=))))
    (should (<= (length msgs) (+ 2 (/ (- t1 t0) 0.2))))
    (should (= (with-current-buffer (messages-buffer) (buffer-size)) log-before))))

(ert-deftest orgfig-stress-short-work-shows-no-progress ()
  "Work that ends before `orgfig--progress-delay' leaves the echo area alone.
A CSV read of 1.5 MiB reports progress after its first MiB and at its
end: with no delay that shows, with the default one it does not."
  (let ((file (make-temp-file "orgfig-progress" nil ".csv"))
        (orgfig--progress-state nil))
    (unwind-protect
        (progn
          (with-temp-file file
            (insert "x,y\n")
            (while (< (buffer-size) (* 3 512 1024))
              (insert "12345.678,87654.321\n")))
          (let ((orgfig--progress-delay 0))
            (should (equal (orgfig-stress--progress-messages
                            (lambda () (orgfig-close (orgfig-read-csv file))))
                           '("orgfig: working... 67% (C-g to stop)"
                             "orgfig: working... done"))))
          (should-not (orgfig-stress--progress-messages
                       (lambda () (orgfig-close (orgfig-read-csv file)))))
          ;; A small file, and a render of a few points, show nothing either.
          (with-temp-file file
            (insert "x,y\n1,2\n3,4\n"))
          (should-not (orgfig-stress--progress-messages
                       (lambda ()
                         (orgfig-close (orgfig-read-csv file))
                         (orgfig-with-figure (fig)
                           (orgfig-line fig nil [1 2 3])
                           (orgfig-render fig))))))
      (delete-file file))))

(defun orgfig-stress--quit-at-first-report (thunk)
  "Call THUNK with a progress reporter that sets `quit-flag' once.
That is what \\[keyboard-quit] does while orgfig works: the next poll's
`process_input' turns the flag into a `quit'.  Return (OUTCOME .
REPORTS): OUTCOME is `quit' when THUNK was stopped by the quit, else
`finished'; REPORTS counts the progress reports seen."
  (let ((reports 0))
    (cl-letf (((symbol-function 'orgfig--progress)
               (lambda (_fraction)
                 (when (= (cl-incf reports) 1)
                   (setq quit-flag t)))))
      (cons (condition-case nil
                (progn (funcall thunk) 'finished)
              (quit 'quit))
            reports))))

(ert-deftest orgfig-stress-quit-stops-long-work-cleanly ()
  "\\[keyboard-quit] during a long render or file read stops it cleanly.
The quit reaches the C loop through its poll (`process_input'): the
call signals `quit', everything it allocated is freed, and the figure
and the file can be used again afterwards.  The CSV read is seen to stop
early by its peak bytes; that a render stops at its next poll is tested
in C (test_render.c, test_plots2.c)."
  (let* ((fig (orgfig-stress--big-figure))
         (file (make-temp-file "orgfig-quit" nil ".csv"))
         (before (orgfig-stress--bytes)))
    (unwind-protect
        (progn
          ;; A render of 2 million points: stopped, nothing left over.
          (let ((r (orgfig-stress--quit-at-first-report
                    (lambda () (orgfig-render fig)))))
            (should (eq (car r) 'quit))
            (should (>= (cdr r) 1))
            (should-not quit-flag)
            (should (= (orgfig-stress--bytes) before))
            (should (orgfig-live-p fig))
            (should (orgfig-test-png-p (orgfig-render fig))))
          ;; A CSV read of about 4 MB (progress after each 1 MiB chunk).
          (with-temp-file file
            (insert "x,y\n")
            (dotimes (i 300000)
              (insert (format "%d,%d.5\n" i (- 300000 i)))))
          (orgfig--mod-reset-peak)
          (let* ((datasets (plist-get (orgfig-memory) :datasets))
                 (r (orgfig-stress--quit-at-first-report
                     (lambda () (orgfig-read-csv file)))))
            (should (eq (car r) 'quit))
            (should (= (cdr r) 1))
            (should (= (orgfig-stress--bytes) before))
            (should (= (plist-get (orgfig-memory) :datasets) datasets))
            ;; It stopped early: it never held the 4.8 MB of the whole
            ;; file's columns (a read that ignored the quit peaks at 9 MB).
            (should (< (plist-get (orgfig-memory) :peak-bytes)
                       (+ before 4800000))))
          ;; Without a quit the same read finishes and holds the data.
          (let ((ds (orgfig-read-csv file)))
            (unwind-protect
                (progn
                  (should (= (plist-get (orgfig-dataset-info ds) :rows) 300000))
                  (should (> (orgfig-stress--bytes) (+ before 4800000))))
              (orgfig-close ds)))
          ;; Closed, it keeps only its small header until collected.
          (should (< (- (orgfig-stress--bytes) before) 256)))
      (delete-file file)
      (orgfig-close fig))))

(provide 'test-stress)
;;; test-stress.el ends here
