;;; test-hostile.el --- Hostile inputs to every public orgfig function -*- lexical-binding: t -*-

;;; Commentary:

;; A data table of hostile calls (issue 6): wrong types, nil, huge,
;; negative, infinite, NaN and denormal numbers, bignums, empty and
;; mismatched sequences, nested and circular lists, strings with NUL
;; bytes, invalid UTF-8 or a megabyte of text, unknown keywords, odd
;; property lists, closed figures and datasets, markers and symbols
;; where numbers belong, columns where strings belong.
;;
;; Each row is (NAME FORM EXPECTED [:requires FUNCTION]) and becomes one
;; ERT test named orgfig-hostile/NAME.  FORM runs with these variables
;; bound to fresh fixtures:
;;   fig      an open 120x90 figure holding one line
;;   closed   a closed figure
;;   ds       an open dataset read from a small CSV (columns a, b), when
;;            `orgfig-read-csv' exists
;;   closed-ds a closed dataset
;;   circ     a circular list of numbers
;;   dir      a temporary directory (deleted afterwards)
;; EXPECTED is one of
;;   ERROR-SYMBOL                   the exact error symbol signalled
;;   (wrong-type-argument PRED)     exactly that error and predicate
;;   (:error SYMBOL REGEXP)         that error, its message matching REGEXP
;;   (:under PARENT)                an error whose conditions include PARENT
;;   (:ok PREDICATE)                no error, and PREDICATE holds on the value
;; After every row, whatever happened, `fig' must still render, so no
;; failed call leaves the figure broken.  Rows whose FUNCTION is not
;; defined yet are skipped, so the table can list what lands later.
;;
;; A row with `:known-bug REASON' states the behaviour we want, which
;; the module does not have yet: ERT expects it to fail (and reports an
;; unexpected success, a failure of the suite, once it is fixed, so the
;; marker is removed then).  Each is in the robustness report.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'orgfig)
(require 'orgfig-test-lib)

(defconst orgfig-hostile--nan (/ 0.0 0.0) "A NaN.")
(defconst orgfig-hostile--inf 1.0e+INF "Positive infinity.")
(defconst orgfig-hostile--megabyte (make-string (* 1024 1024) ?x)
  "A string one megabyte long.")

(defun orgfig-hostile--renders-p (fig)
  "Return non-nil if FIG renders to PNG, SVG and PDF."
  (and (orgfig-test-png-p (orgfig-render fig))
       (string-match-p "<svg" (orgfig-render fig 'svg))
       (string-prefix-p "%PDF" (orgfig-render fig 'pdf))))

(defun orgfig-hostile--new-figure-p (obj)
  "Return non-nil if OBJ is a new figure that renders; close it."
  (unwind-protect (and (orgfig-figure-p obj) (orgfig-live-p obj)
                       (orgfig-test-png-p (orgfig-render obj)))
    (when (orgfig-figure-p obj) (orgfig-close obj))))

(defun orgfig-hostile--column-p (obj)
  "Return non-nil if OBJ is an orgfig column."
  (orgfig-column-p obj))

(defvar orgfig-hostile--fig nil "The open fixture figure of the running row.")

(defun orgfig-hostile--same-fig-renders-p (obj)
  "Return non-nil if OBJ is the fixture figure and it renders."
  (and (eq obj orgfig-hostile--fig) (orgfig-hostile--renders-p obj)))

(defun orgfig-hostile--csv (dir name text)
  "Write TEXT into DIR/NAME and return the file name."
  (let ((file (expand-file-name name dir)))
    (with-temp-file file
      (set-buffer-multibyte nil)
      (insert text))
    file))

(defun orgfig-hostile--run (name expected fn)
  "Call FN with fresh fixtures and check the outcome against EXPECTED.
NAME names the row; with ORGFIG_HOSTILE_TRACE set in the environment
each row's outcome is printed, to review the table."
  (let* ((dir (make-temp-file "orgfig-hostile" t))
         (fig (orgfig-figure :width 120 :height 90))
         (closed (orgfig-figure :width 50 :height 50))
         (csv (orgfig-hostile--csv dir "small.csv" "a,b\n1,2\n3,4\n5,6\n"))
         (ds (and (fboundp 'orgfig-read-csv) (orgfig-read-csv csv)))
         (closed-ds (and (fboundp 'orgfig-read-csv) (orgfig-read-csv csv)))
         (circ (let ((l (list 1 2 3))) (setcdr (last l) l) l))
         (orgfig-hostile--fig fig)
         outcome)
    (unwind-protect
        (progn
          (orgfig-line fig nil [1 3 2])
          (orgfig-close closed)
          (when closed-ds (orgfig-close closed-ds))
          (setq outcome
                (condition-case err
                    (list :value (funcall fn fig closed ds closed-ds circ dir))
                  (error (list :error err))))
          (when (getenv "ORGFIG_HOSTILE_TRACE")
            (message "ROW %s\n  expected %S\n  got      %s" name expected
                     (truncate-string-to-width (format "%S" outcome) 300)))
          (pcase expected
            (`(:ok ,pred)
             (should (equal (car outcome) :value))
             (should (funcall pred (cadr outcome))))
            (`(:error ,symbol ,regexp)
             (should (equal (car outcome) :error))
             (should (eq (car (cadr outcome)) symbol))
             (should (string-match-p regexp (cadr (cadr outcome)))))
            (`(:under ,parent)
             (should (equal (car outcome) :error))
             (should (memq parent (get (car (cadr outcome)) 'error-conditions))))
            (`(wrong-type-argument ,pred)
             (should (equal (car outcome) :error))
             (should (equal (list (car (cadr outcome)) (cadr (cadr outcome)))
                            (list 'wrong-type-argument pred))))
            ((pred symbolp)
             (should (equal (car outcome) :error))
             (should (eq (car (cadr outcome)) expected))
             ;; orgfig's own errors explain themselves in a string.
             (when (memq 'orgfig-error (get expected 'error-conditions))
               (should (stringp (cadr (cadr outcome))))))
            (_ (error "Bad EXPECTED in the table: %S" expected)))
          ;; Whatever the row did, the fixture figure is intact.
          (should (orgfig-live-p fig))
          (should (orgfig-test-png-p (orgfig-render fig))))
      (ignore-errors (orgfig-close fig))
      (when ds (ignore-errors (orgfig-close ds)))
      (delete-directory dir t))))

(defmacro orgfig-hostile-table (&rest rows)
  "Define one ERT test per row of ROWS.
Each row is (NAME FORM EXPECTED [:requires F] [:known-bug REASON])."
  (declare (indent 0))
  `(progn
     ,@(mapcar
        (lambda (row)
          (pcase-let ((`(,name ,form ,expected . ,opts) row))
            (let ((requires (plist-get opts :requires))
                  (bug (plist-get opts :known-bug)))
              `(ert-deftest ,(intern (format "orgfig-hostile/%s" name)) ()
                 ,(format "Hostile input: %S\nExpected: %S%s" form expected
                          (if bug (format "\nKnown bug: %s" bug) ""))
                 ,@(when bug '(:expected-result :failed))
                 ,@(when requires
                     `((skip-unless (fboundp ',requires))))
                 (orgfig-hostile--run
                  ',name ',expected
                  (lambda (fig closed ds closed-ds circ dir)
                    (ignore fig closed ds closed-ds circ dir)
                    ,form))))))
        rows)))

(orgfig-hostile-table
  ;; ---- orgfig-figure: sizes and numbers ----
  (figure-width-zero (orgfig-figure :width 0) orgfig-invalid-data)
  (figure-width-100000 (orgfig-figure :width 100000) orgfig-invalid-data)
  (figure-height-negative (orgfig-figure :height -5) orgfig-invalid-data)
  (figure-width-1e308 (orgfig-figure :width 1e308) orgfig-invalid-data)
  (figure-width-inf (orgfig-figure :width 1.0e+INF) orgfig-invalid-data)
  (figure-width-minus-inf (orgfig-figure :height -1.0e+INF) orgfig-invalid-data)
  (figure-width-nan (orgfig-figure :width 0.0e+NaN) orgfig-invalid-data)
  (figure-width-denormal (orgfig-figure :width 5e-324) orgfig-invalid-data)
  (figure-width-bignum (orgfig-figure :width (expt 10 30)) orgfig-invalid-data)
  (figure-width-string (orgfig-figure :width "wide") (wrong-type-argument integerp))
  (figure-width-fraction (orgfig-figure :width 100.5) orgfig-invalid-data)
  (figure-width-marker (orgfig-figure :width (point-marker)) (wrong-type-argument integerp))
  (figure-width-nil (orgfig-figure :width nil) (wrong-type-argument integerp))
  (figure-too-many-pixels (orgfig-figure :width 16384 :height 16384 :scale 4)
                          orgfig-invalid-data)
  (figure-scale-zero (orgfig-figure :scale 0) orgfig-invalid-data)
  (figure-scale-nan (orgfig-figure :scale 0.0e+NaN) orgfig-invalid-data)
  (figure-rows-17 (orgfig-figure :rows 17) orgfig-invalid-data)
  (figure-rows-zero (orgfig-figure :rows 0) orgfig-invalid-data)
  (figure-rows-fraction (orgfig-figure :rows 1.5) orgfig-invalid-data)
  (figure-font-size-negative (orgfig-figure :font-size -3) orgfig-invalid-data)
  (figure-font-size-inf (orgfig-figure :font-size 1.0e+INF) orgfig-invalid-data)
  ;; ---- orgfig-figure: property lists and strings ----
  (figure-unknown-keyword (orgfig-figure :colour "red") orgfig-invalid-data)
  (figure-odd-plist (orgfig-figure :width) orgfig-invalid-data)
  (figure-non-keyword (orgfig-figure 'width 100) (wrong-type-argument keywordp))
  (figure-unknown-theme (orgfig-figure :theme 'no-such-theme) orgfig-invalid-data)
  (figure-bad-color (orgfig-figure :background "no-such-color") orgfig-invalid-data)
  (figure-color-number (orgfig-figure :background 42) (wrong-type-argument stringp))
  (figure-cycle-number (orgfig-figure :cycle 5) (wrong-type-argument listp))
  ;; Text that is not valid UTF-8, or holds NUL, is refused cleanly.
  (figure-title-nul (orgfig-figure :width 100 :height 80 :title "a\0b")
                    (:error orgfig-invalid-data "UTF-8"))
  (figure-title-invalid-utf8 (orgfig-figure :width 100 :height 80 :title "\377\376")
                             (:error orgfig-invalid-data "UTF-8"))
  (figure-title-raw-bytes (orgfig-figure :width 100 :height 80
                                         :title (string-to-unibyte "caf\351"))
                          (:error orgfig-invalid-data "UTF-8"))
  (figure-title-raw-byte-char (orgfig-figure :width 100 :height 80
                                             :title (string ?a (unibyte-char-to-multibyte 255)))
                              ;; Emacs's module API refuses it before orgfig sees it.
                              (wrong-type-argument unicode-string-p))
  (figure-title-unicode (orgfig-figure :width 100 :height 80 :title "π ≈ 3.14 — 日本 🙂")
                        (:ok orgfig-hostile--new-figure-p))
  (figure-title-megabyte (orgfig-figure :width 100 :height 80
                                        :title orgfig-hostile--megabyte)
                         (:ok orgfig-hostile--new-figure-p))
  (figure-title-column (orgfig-figure :title (orgfig-pack [1 2]))
                       (wrong-type-argument stringp))
  (figure-title-nested-list (orgfig-figure :title '(("a")))
                            (wrong-type-argument stringp))
  ;; ---- orgfig-line: the figure argument ----
  (line-number-as-figure (orgfig-line 42 nil [1 2]) (wrong-type-argument orgfig-figure-p))
  (line-nil-as-figure (orgfig-line nil nil [1 2]) (wrong-type-argument orgfig-figure-p))
  (line-column-as-figure (orgfig-line (orgfig-pack [1]) nil [1 2])
                         (wrong-type-argument orgfig-figure-p))
  (line-dataset-as-figure (orgfig-line ds nil [1 2]) (wrong-type-argument orgfig-figure-p)
                          :requires orgfig-read-csv)
  (line-closed-figure (orgfig-line closed nil [1 2]) orgfig-closed-figure)
  ;; ---- orgfig-line: data ----
  (line-string-data (orgfig-line fig nil "abc") (wrong-type-argument orgfig-data-p))
  (line-mismatch (orgfig-line fig [1 2 3] [1 2 3 4]) orgfig-invalid-data)
  (line-empty (orgfig-line fig [] []) orgfig-invalid-data)
  (line-nil-y (orgfig-line fig nil nil) (:error orgfig-invalid-data "orgfig-line: Y is empty"))
  (line-nan-inf (orgfig-line fig nil (vector 0.0e+NaN 1.0e+INF -1.0e+INF 1 2))
                (:ok orgfig-hostile--same-fig-renders-p))
  (line-all-nan (orgfig-line fig nil (vector 0.0e+NaN 0.0e+NaN))
                (:error orgfig-invalid-data "no finite values"))
  (line-huge (orgfig-line fig nil [1e308 -1e308 1]) (:ok orgfig-hostile--same-fig-renders-p))
  (line-denormal (orgfig-line fig [0 1 2] [5e-324 0 1e-320])
                 (:ok orgfig-hostile--same-fig-renders-p))
  (line-bignum-data (orgfig-line fig nil (vector (expt 10 400) 1 2))
                    (:ok orgfig-hostile--same-fig-renders-p))
  (line-nested-list (orgfig-line fig nil '((1 2) (3 4))) (wrong-type-argument orgfig-data-p))
  (line-circular-data (orgfig-line fig nil circ) circular-list)
  (line-marker-data (orgfig-line fig nil (vector (point-marker) 1))
                    (wrong-type-argument orgfig-data-p))
  (line-marker-after-number (orgfig-line fig nil (vector 1 (point-marker)))
                            (wrong-type-argument numberp))
  (line-symbol-data (orgfig-line fig nil [a b]) (wrong-type-argument orgfig-data-p))
  (line-string-element (orgfig-line fig nil [1 "two" 3]) (wrong-type-argument numberp))
  (line-hash-table-data (orgfig-line fig nil (make-hash-table))
                        (wrong-type-argument orgfig-data-p))
  ;; ---- orgfig-line: properties ----
  (line-unknown-keyword (orgfig-line fig nil [1 2] :colour "red") orgfig-invalid-data)
  (line-odd-plist (orgfig-line fig nil [1 2] :color) orgfig-invalid-data)
  (line-non-keyword (orgfig-line fig nil [1 2] 'color "red") (wrong-type-argument keywordp))
  (line-bad-color (orgfig-line fig nil [1 2] :color "no-such-color") orgfig-invalid-data)
  (line-width-nan (orgfig-line fig nil [1 2] :width 0.0e+NaN) orgfig-invalid-data)
  (line-width-negative (orgfig-line fig nil [1 2] :width -1) orgfig-invalid-data)
  (line-dash-unknown (orgfig-line fig nil [1 2] :dash 'wavy) orgfig-invalid-data)
  (line-marker-string (orgfig-line fig nil [1 2] :marker 42) (wrong-type-argument symbolp))
  (line-axes-out-of-range (orgfig-line fig nil [1 2] :axes 5) orgfig-invalid-data)
  (line-axes-negative (orgfig-line fig nil [1 2] :axes -1) orgfig-invalid-data)
  (line-axes-bignum (orgfig-line fig nil [1 2] :axes (expt 2 70)) orgfig-invalid-data)
  (line-alpha-2 (orgfig-line fig nil [1 2] :alpha 2) orgfig-invalid-data)
  (line-label-column (orgfig-line fig nil [1 2] :label (orgfig-pack [1 2]))
                     (wrong-type-argument stringp))
  (line-label-megabyte (orgfig-line fig nil [1 2] :label orgfig-hostile--megabyte)
                       (:ok orgfig-hostile--same-fig-renders-p))
  (line-label-nul (orgfig-line fig nil [1 2] :label "x\0y")
                  (:error orgfig-invalid-data "UTF-8"))
  (line-label-invalid-utf8 (orgfig-line fig nil [1 2] :label "\377\376")
                           (:error orgfig-invalid-data "UTF-8"))
  ;; ---- the other plot kinds ----
  (scatter-size-mismatch (orgfig-scatter fig [1 2 3] [1 2 3] :size [1 2])
                         orgfig-invalid-data)
  (scatter-color-mismatch (orgfig-scatter fig [1 2 3] [1 2 3] :color [1 2])
                          orgfig-invalid-data)
  (scatter-cmap-unknown (orgfig-scatter fig [1 2] [1 2] :color [1 2] :cmap 'nope)
                        orgfig-invalid-data)
  (scatter-nan-everywhere (orgfig-scatter fig (vector 0.0e+NaN 1) (vector 1 0.0e+NaN)
                                          :size (vector 0.0e+NaN 1.0e+INF))
                          (:error orgfig-invalid-data "no finite values"))
  (scatter-some-nan (orgfig-scatter fig (vector 0.0e+NaN 1 2) (vector 1 0.0e+NaN 2)
                                    :size (vector 0.0e+NaN 1.0e+INF 3))
                    (:ok orgfig-hostile--same-fig-renders-p))
  (bar-mismatch (orgfig-bar fig '("a" "b") [1 2 3]) orgfig-invalid-data)
  (bar-nested-labels (orgfig-bar fig '(("a") ("b")) [1 2])
                     (wrong-type-argument stringp))
  (bar-negative-and-nan (orgfig-bar fig '("a" "b" "c") (vector -5 0.0e+NaN 3))
                        (:ok orgfig-hostile--same-fig-renders-p))
  (hist-bins-zero (orgfig-hist fig [1 2 3] :bins 0) orgfig-invalid-data)
  (hist-bins-huge (orgfig-hist fig [1 2 3] :bins (expt 10 12)) orgfig-invalid-data)
  (hist-range-reversed (orgfig-hist fig [1 2 3] :range '(5 1)) orgfig-invalid-data)
  (hist-all-nan (orgfig-hist fig (vector 0.0e+NaN 0.0e+NaN))
                (:error orgfig-invalid-data "no finite values"))
  ;; A range of one denormal: bins/(hi-lo) is infinite (found by fuzz_api).
  (hist-denormal-range (orgfig-hist fig (vector 0 5e-324))
                       (:ok orgfig-hostile--same-fig-renders-p))
  (hist-inf (orgfig-hist fig (vector 1 2 1.0e+INF -1.0e+INF))
            (:ok orgfig-hostile--same-fig-renders-p))
  (heatmap-ragged (orgfig-heatmap fig '((1 2) (3))) orgfig-invalid-data)
  (heatmap-empty (orgfig-heatmap fig []) orgfig-invalid-data)
  (heatmap-not-a-matrix (orgfig-heatmap fig 42) (wrong-type-argument orgfig-data-p))
  (heatmap-all-nan (orgfig-heatmap fig (list (vector 0.0e+NaN 0.0e+NaN)
                                             (vector 0.0e+NaN 0.0e+NaN)))
                   (:error orgfig-invalid-data "no finite values"))
  (heatmap-some-nan (orgfig-heatmap fig (list (vector 0.0e+NaN 1) (vector 2 1.0e+INF)))
                    (:ok orgfig-hostile--same-fig-renders-p))
  (fill-between-y2-string (orgfig-fill-between fig [1 2] [1 2] "zero")
                          (wrong-type-argument orgfig-data-p))
  (fill-between-mismatch (orgfig-fill-between fig [1 2 3] [1 2] 0) orgfig-invalid-data)
  (errorbar-mismatch (orgfig-errorbar fig [1 2] [1 2] [1 2 3]) orgfig-invalid-data)
  (area-ys-number (orgfig-area fig [1 2] 5) (wrong-type-argument listp))
  (area-ys-ragged (orgfig-area fig [1 2] '([1 2] [1])) orgfig-invalid-data)
  (box-not-a-list (orgfig-box fig 42) (wrong-type-argument orgfig-data-p))
  (box-empty-set (orgfig-box fig (list [] [1 2 3])) orgfig-invalid-data)
  (pie-negative (orgfig-pie fig '("a" "b") [1 -2]) orgfig-invalid-data)
  (pie-all-zero (orgfig-pie fig '("a" "b") [0 0]) orgfig-invalid-data)
  (pie-mismatch (orgfig-pie fig '("a") [1 2]) orgfig-invalid-data)
  (text-string-nil (orgfig-text fig 1 1 nil) (wrong-type-argument stringp))
  (text-string-column (orgfig-text fig 1 1 (orgfig-pack [1])) (wrong-type-argument stringp))
  (text-position-string (orgfig-text fig "x" 1 "t") (wrong-type-argument numberp))
  (text-megabyte (orgfig-text fig 1 1 orgfig-hostile--megabyte)
                 (:ok orgfig-hostile--same-fig-renders-p))
  (text-at-infinity (orgfig-text fig 1.0e+INF 0.0e+NaN "far") orgfig-invalid-data)
  (text-far-away (orgfig-text fig 1e300 -1e300 "far")
                 (:ok orgfig-hostile--same-fig-renders-p))
  (hline-string (orgfig-hline fig "1") (wrong-type-argument numberp))
  (vline-symbol (orgfig-vline fig 'x) (wrong-type-argument numberp))
  (hline-nan (orgfig-hline fig 0.0e+NaN) orgfig-invalid-data)
  ;; ---- orgfig-set ----
  (set-xlim-one (orgfig-set fig :xlim '(1)) orgfig-invalid-data)
  (set-xlim-nan (orgfig-set fig :xlim (list 0 0.0e+NaN)) orgfig-invalid-data)
  (set-xlim-inf (orgfig-set fig :xlim (list 0 1.0e+INF)) orgfig-invalid-data)
  (set-xlim-equal (orgfig-set fig :xlim '(1 1)) orgfig-invalid-data)
  (set-xlim-string (orgfig-set fig :xlim "0 1") (wrong-type-argument listp))
  (set-legend-bogus (orgfig-set fig :legend 'everywhere) orgfig-invalid-data)
  (set-closed (orgfig-set closed :title "x") orgfig-closed-figure)
  (set-width-zero (orgfig-set fig :width 0) orgfig-invalid-data)
  (set-rows-after-creation (orgfig-set fig :rows 2) orgfig-invalid-data)
  (set-ticklabels-mismatch (orgfig-set fig :xticks '(1 2) :xticklabels '("a"))
                           orgfig-invalid-data)
  (set-title-column (orgfig-set fig :title (orgfig-pack [1])) (wrong-type-argument stringp))
  (set-log-scale-negative-data (progn (orgfig-line fig nil [-1 0 1])
                                      (orgfig-set fig :yscale 'log))
                               (:ok orgfig-hostile--same-fig-renders-p))
  (set-xlabel-megabyte (orgfig-set fig :xlabel orgfig-hostile--megabyte)
                       (:ok orgfig-hostile--same-fig-renders-p))
  (set-odd-plist (orgfig-set fig :title) orgfig-invalid-data)
  ;; ---- rendering, images, files ----
  (render-format-gif (orgfig-render fig 'gif) orgfig-invalid-data)
  (render-format-string (orgfig-render fig "png") orgfig-invalid-data)
  (render-closed (orgfig-render closed) orgfig-closed-figure)
  (render-non-figure (orgfig-render "fig") (wrong-type-argument orgfig-figure-p))
  (render-dataset (orgfig-render ds) (wrong-type-argument orgfig-figure-p)
                  :requires orgfig-read-csv)
  (image-closed (orgfig-image closed) orgfig-closed-figure)
  (image-non-figure (orgfig-image 42) (wrong-type-argument orgfig-figure-p))
  (image-closed-message (orgfig-image closed) (:error orgfig-closed-figure "orgfig-image"))
  (live-p-non-figure (orgfig-live-p "fig") (wrong-type-argument orgfig-figure-p))
  (info-closed (plist-get (orgfig-figure-info closed) :live) (:ok null))
  (save-bad-extension (orgfig-save fig (expand-file-name "x.gif" dir)) orgfig-invalid-data)
  (save-no-extension (orgfig-save fig (expand-file-name "x" dir)) orgfig-invalid-data)
  (save-missing-directory (orgfig-save fig (expand-file-name "no/such/dir/x.png" dir))
                          (:under file-error))
  (save-file-nil (orgfig-save fig nil) (wrong-type-argument stringp))
  (save-closed (orgfig-save closed (expand-file-name "x.png" dir)) orgfig-closed-figure)
  ;; ---- orgfig-close ----
  (close-number (orgfig-close 42) (wrong-type-argument orgfig-figure-p))
  (close-nil (orgfig-close nil) (wrong-type-argument orgfig-figure-p))
  (close-twice (orgfig-close closed) (:ok null))
  (close-column (orgfig-close (orgfig-pack [1])) (wrong-type-argument orgfig-figure-p))
  (close-dataset-twice (progn (orgfig-close ds) (orgfig-close ds)) (:ok null)
                       :requires orgfig-read-csv)
  ;; ---- orgfig-pack ----
  (pack-strings (orgfig-pack ["a" "b"]) (wrong-type-argument numberp))
  (pack-bad-type (orgfig-pack [1 2] 'int8) orgfig-invalid-data)
  (pack-circular (orgfig-pack circ) circular-list)
  (pack-empty (orgfig-pack []) (:ok orgfig-hostile--column-p))
  (pack-nested (orgfig-pack '((1 2))) (wrong-type-argument numberp))
  (pack-number (orgfig-pack 42) (wrong-type-argument orgfig-data-p))
  (pack-specials (orgfig-pack (vector 0.0e+NaN 1.0e+INF 5e-324 (expt 10 400)))
                 (:ok orgfig-hostile--column-p))
  ;; ---- datasets ----
  (csv-missing-file (orgfig-read-csv (expand-file-name "none.csv" dir)) orgfig-file-error
                    :requires orgfig-read-csv)
  (csv-directory (orgfig-read-csv dir) orgfig-file-error :requires orgfig-read-csv)
  (csv-file-number (orgfig-read-csv 42) (wrong-type-argument stringp)
                   :requires orgfig-read-csv)
  ;; Emacs refuses the name before C could open a truncated "small.csv".
  (csv-file-nul (orgfig-read-csv (concat (expand-file-name "small.csv" dir) "\0x"))
                (wrong-type-argument filenamep) :requires orgfig-read-csv)
  (csv-bad-delimiter (orgfig-read-csv (expand-file-name "small.csv" dir) :delimiter "ab")
                     orgfig-invalid-data :requires orgfig-read-csv)
  (csv-unknown-keyword (orgfig-read-csv (expand-file-name "small.csv" dir) :colour 1)
                       orgfig-invalid-data :requires orgfig-read-csv)
  (csv-binary-garbage (orgfig-read-csv (orgfig-hostile--csv dir "junk.csv"
                                                            (apply #'unibyte-string
                                                                   (number-sequence 0 255))))
                      (:ok orgfig-dataset-p) :requires orgfig-read-csv)
  (column-unknown-name (orgfig-column ds "zz") orgfig-invalid-data
                       :requires orgfig-column)
  (column-index-out-of-range (orgfig-column ds 2) orgfig-invalid-data
                             :requires orgfig-column)
  (column-negative-index (orgfig-column ds -1) orgfig-invalid-data
                         :requires orgfig-column)
  (column-bignum-index (orgfig-column ds (expt 2 80)) orgfig-invalid-data
                       :requires orgfig-column)
  (column-bignum-index-message (orgfig-column ds (expt 2 80))
                               (:error orgfig-invalid-data "1208925819614629174706176\\|1\\.2[0-9]*e\\+24")
                               :requires orgfig-column)
  (column-closed-dataset (orgfig-column closed-ds "a") orgfig-closed-figure
                         :requires orgfig-column)
  (column-list-key (orgfig-column ds '("a")) (wrong-type-argument orgfig-column-key-p)
                   :requires orgfig-column)
  (column-float-key (orgfig-column ds 1.0) (wrong-type-argument orgfig-column-key-p)
                    :requires orgfig-column)
  (column-of-figure (orgfig-column fig "a") (wrong-type-argument orgfig-dataset-p)
                    :requires orgfig-column)
  (column-as-title (orgfig-figure :title (orgfig-column ds "a"))
                   (wrong-type-argument stringp) :requires orgfig-column)
  (column-plots-after-close (let ((c (orgfig-column ds "b")))
                              (orgfig-close ds)
                              (orgfig-line fig nil c))
                            (:ok orgfig-hostile--same-fig-renders-p)
                            :requires orgfig-column))

;;;; Security: text never reaches SVG or PDF as markup

(defconst orgfig-hostile--markup "<script>alert(1)</script>&amp;\"'><x"
  "Text that would be markup if written raw into an SVG.")

(ert-deftest orgfig-hostile-svg-has-no-raw-markup-from-text ()
  "Titles, labels, tick labels and text plots never appear raw in SVG.
cairo draws text as glyphs; whatever it writes, the SVG must stay a
well-formed document without our markup in it."
  (orgfig-with-figure (fig :width 200 :height 150 :title orgfig-hostile--markup
                           :suptitle orgfig-hostile--markup :rows 1 :cols 2)
    (orgfig-line fig nil [1 2 3] :label orgfig-hostile--markup)
    (orgfig-bar fig (list orgfig-hostile--markup "b") [1 2] :axes 1)
    (orgfig-text fig 1 1 orgfig-hostile--markup)
    (orgfig-set fig :xlabel orgfig-hostile--markup :ylabel orgfig-hostile--markup
                :legend t :xticks '(0 1) :xticklabels (list orgfig-hostile--markup "b"))
    (let ((svg (orgfig-render fig 'svg))
          (pdf (orgfig-render fig 'pdf)))
      (should (string-match-p "<svg" svg))
      (should-not (string-match-p "<script" svg))
      (should-not (string-match-p "alert(1)" svg))
      (should-not (string-match-p "<script" pdf))
      (when (fboundp 'libxml-parse-xml-region)
        (with-temp-buffer
          (insert svg)
          (should (libxml-parse-xml-region (point-min) (point-max))))))))

(ert-deftest orgfig-hostile-font-family-is-not-markup ()
  "A hostile :font-family is refused or kept out of the SVG markup."
  (let ((fig (condition-case err
                 (orgfig-figure :width 100 :height 80 :title "t"
                                :font-family "x\"/><script>alert(1)</script>")
               (orgfig-invalid-data (should (stringp (cadr err))) nil))))
    (when fig
      (unwind-protect
          (let ((svg (orgfig-render fig 'svg)))
            (should-not (string-match-p "<script" svg)))
        (orgfig-close fig)))))

(provide 'test-hostile)
;;; test-hostile.el ends here
