;;; ob-orgfig.el --- Org Babel language `orgfig': plots from Lisp or tables  -*- lexical-binding: t -*-

;; Copyright (C) 2026 The orgfig authors

;; Author: The orgfig authors
;; Keywords: multimedia, outlines, tools

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Source blocks in the language `orgfig' draw figures:
;;
;;   #+begin_src orgfig :var data=sales :width 640 :height 480 :title "Sales"
;;     (orgfig-line fig (orgfig-table-column data "month")
;;                  (orgfig-table-column data "revenue") :label "revenue")
;;   #+end_src
;;
;; The body is Emacs Lisp evaluated with lexical binding.  `fig' is a
;; fresh figure made from the header arguments :width :height :scale
;; :theme :title, and every :var is a lexical variable.  Every figure
;; the body draws on (and `fig' only if something was drawn on it) is
;; rendered; the result is one line per figure,
;;
;;   [[orgfig:ID][orgfig: "Sales" 640×480 line plot]]
;;
;; an Org link to the PNG held in memory, shown as an image over the
;; line (see orgfig-org.el).  No file is written unless :file is given.
;; Then the figures are closed, also when the body signals; `:keep yes'
;; keeps them open.
;;
;; Table mode plots an Org table without any code:
;;
;;   #+begin_src orgfig :var data=sales :plot line :x month :y 2,3
;;   #+end_src
;;
;; Tables arrive as lists of rows.  With Org's default `:colnames' the
;; header row is removed before the block sees the table; ob-orgfig
;; remembers the names, so `orgfig-table-column' finds columns by
;; header name.  Columns may always be given by 1-based index.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'ob)
(require 'orgfig)
(require 'orgfig-org)

(defvar org-babel-tangle-lang-exts)
(defvar org-src-lang-modes)

;;;; Header arguments

(defvar org-babel-default-header-args:orgfig
  '((:results . "raw") (:exports . "results"))
  "Default header arguments of orgfig source blocks.
Results are raw so the figure links are inserted as they are.")

(defconst orgfig-babel-header-args
  '((width . :any) (height . :any) (scale . :any) (theme . :any)
    (title . :any) (keep . ((yes no)))
    (plot . ((line scatter bar hist area box pie heatmap)))
    (x . :any) (y . :any) (xlabel . :any) (ylabel . :any))
  "Header arguments specific to orgfig source blocks.")

;; Org finds a language's optional hooks by name
;; (`org-babel-header-args:LANG', `org-babel-expand-body:LANG'); they are
;; installed with `setq' and `fset' below so the definitions keep
;; orgfig's prefix.
(defvar org-babel-header-args:orgfig)
(setq org-babel-header-args:orgfig orgfig-babel-header-args)

(add-to-list 'org-babel-tangle-lang-exts '("orgfig" . "el"))
(add-to-list 'org-src-lang-modes '("orgfig" . emacs-lisp))

(defun orgfig-babel--number (params key)
  "Return header argument KEY of PARAMS as a number, or nil when absent."
  (let ((v (cdr (assq key params))))
    (cond ((null v) nil)
          ((numberp v) v)
          ((and (stringp v)
                (string-match-p "\\`[ \t]*[-+]?[0-9]*\\.?[0-9]+\\(?:[eE][-+]?[0-9]+\\)?[ \t]*\\'" v))
           (string-to-number v))
          (t (user-error "Header argument %s of an orgfig block must be a number, got %S"
                         key v)))))

(defun orgfig-babel--figure-props (params)
  "Return the `orgfig-figure' properties given by header arguments PARAMS."
  (let (props)
    (dolist (k '(:width :height :scale))
      (when-let ((n (orgfig-babel--number params k)))
        (setq props (append props (list k n)))))
    (when-let ((theme (cdr (assq :theme params))))
      (setq props (append props (list :theme (if (stringp theme)
                                                 (intern theme)
                                               theme)))))
    (when-let ((title (cdr (assq :title params))))
      (setq props (append props (list :title (format "%s" title)))))
    props))

;;;; Tables

(defvar orgfig-table--headers (make-hash-table :test #'eq :weakness 'key)
  "Header names of tables passed to blocks, keyed by the table object.")

(defun orgfig-table--fail (fmt &rest args)
  "Signal `orgfig-invalid-data' with a message made from FMT and ARGS."
  (signal 'orgfig-invalid-data (list (apply #'format fmt args))))

(defun orgfig-table-header (table)
  "Return the list of column names of TABLE, or nil if it has none.
The names are those Org removed because of `:colnames' (recorded by
ob-orgfig), or the first row when an `hline' follows it."
  (or (gethash table orgfig-table--headers)
      (and (consp table) (listp (car table)) (eq (cadr table) 'hline)
           (mapcar (lambda (c) (format "%s" c)) (car table)))))

(defun orgfig-table--split (table col)
  "Return (HEADER . ROWS) of TABLE, `hline's removed.
HEADER is the list of column names or nil.  When TABLE has no
known header and COL is a string found in its first row, the first
row is taken as the header."
  (unless (listp table)
    (signal 'wrong-type-argument (list 'listp table)))
  (let ((header (orgfig-table-header table))
        (rows (remq 'hline table)))
    (cond ((gethash table orgfig-table--headers) (cons header rows))
          (header (cons header (cdr rows)))
          ((and (stringp col) (consp (car rows))
                (member col (mapcar (lambda (c) (format "%s" c)) (car rows))))
           (cons (mapcar (lambda (c) (format "%s" c)) (car rows)) (cdr rows)))
          (t (cons nil rows)))))

(defun orgfig-table--index (header ncols col)
  "Return the 0-based index of column COL given HEADER and NCOLS columns.
COL is a 1-based integer, a string holding one, or a header name."
  (let ((n (cond ((integerp col) col)
                 ((and (stringp col) (string-match-p "\\`[0-9]+\\'" col)
                       (not (member col header)))
                  (string-to-number col))
                 ((or (stringp col) (symbolp col))
                  (let ((pos (cl-position (format "%s" col) header
                                          :test #'string=)))
                    (if pos (1+ pos)
                      (orgfig-table--fail
                       "orgfig-table-column: no column named %S (columns: %s)"
                       (format "%s" col)
                       (if header (mapconcat #'identity header ", ")
                         "the table has no header row")))))
                 (t (signal 'wrong-type-argument (list 'stringp col))))))
    (unless (and (>= n 1) (<= n ncols))
      (orgfig-table--fail
       "orgfig-table-column: column %d out of range (the table has %d columns, numbered from 1)"
       n ncols))
    (1- n)))

(defun orgfig-table-cells (table col)
  "Return the cells of column COL of TABLE as a list, header excluded.
COL is a 1-based column number or a header name; see
`orgfig-table-column'.  Missing cells of short rows are nil."
  (let* ((split (orgfig-table--split table col))
         (rows (cdr split))
         (ncols (apply #'max 0 (length (car split))
                       (mapcar (lambda (r) (if (listp r) (length r) 0)) rows)))
         (i (orgfig-table--index (car split) ncols col)))
    (mapcar (lambda (row) (and (listp row) (nth i row))) rows)))

(defconst orgfig-table--number-re
  "\\`[-+]?\\(?:[0-9]+\\.?[0-9]*\\|\\.[0-9]+\\)\\(?:[eE][-+]?[0-9]+\\)?\\'"
  "Regexp matching a plain decimal number.")

(defun orgfig-table-number (cell)
  "Return table CELL as a float, or NaN when it has no number.
Numbers are converted to floats.  Strings may have surrounding
blanks, thousands separators (\"1,234.5\"), a leading currency
sign ($ € £ ¥), a Unicode minus and a trailing percent sign, which
is dropped (\"12%\" is 12.0).  Empty cells and other text are NaN."
  (cond ((numberp cell) (float cell))
        ((stringp cell)
         (let ((s (string-trim cell)))
           (setq s (replace-regexp-in-string "[,_ ]" "" s))
           (setq s (replace-regexp-in-string "−" "-" s))
           (setq s (replace-regexp-in-string "\\`\\([-+]?\\)[$€£¥]" "\\1" s))
           (setq s (replace-regexp-in-string "%\\'" "" s))
           (if (string-match-p orgfig-table--number-re s)
               (float (string-to-number s))
             0.0e+NaN)))
        (t 0.0e+NaN)))

(defun orgfig-table-numbers (cells)
  "Return the sequence CELLS as a vector of floats (see `orgfig-table-number')."
  (vconcat (mapcar #'orgfig-table-number cells)))

(defun orgfig-table-column (table col)
  "Return column COL of the Org table TABLE as a vector of floats.
TABLE is a list of rows as babel passes it (`hline's are ignored).
COL is a column number counted from 1, as in Org's $1, or a header
name.  Header names are found (1) from the header Org removed
because of `:colnames' (ob-orgfig records it for every :var table);
\(2) in a first row followed by an `hline', or (3) when COL is a
string, in the first row.  Cells are converted by
`orgfig-table-number'; use `orgfig-table-labels' for text."
  (orgfig-table-numbers (orgfig-table-cells table col)))

(defun orgfig-table-labels (table col)
  "Return column COL of TABLE as a list of strings (for bar or pie labels).
COL is as in `orgfig-table-column'."
  (mapcar (lambda (c) (if c (format "%s" c) "")) (orgfig-table-cells table col)))

(defun orgfig-table-dates (table col)
  "Return column COL of TABLE, a column of dates, as a time column.
Cells are read by `orgfig-parse-time' (ISO 8601 dates and times, Org
timestamps) into Unix seconds; other cells are NaN.  Plotted as x, the
column gives the axes a time scale.  COL is as in `orgfig-table-column'."
  (orgfig--pack-dates (orgfig-table-cells table col)))

(defun orgfig-table-width (table)
  "Return the number of columns of TABLE (its widest row)."
  (apply #'max 0 (mapcar (lambda (r) (if (listp r) (length r) 0)) table)))

(defun orgfig-table--numeric-p (table col)
  "Return non-nil when column COL of TABLE has at least one number."
  (cl-some (lambda (v) (not (isnan v))) (orgfig-table-column table col)))

(defun orgfig-table--name (table col)
  "Return a display name for column COL of TABLE."
  (let ((header (car (orgfig-table--split table col))))
    (if (integerp col)
        (or (nth (1- col) header) (format "column %d" col))
      (format "%s" col))))

(defun orgfig-table-plot (fig table kind &optional x ys)
  "Draw the Org TABLE on FIG as a plot of KIND and return FIG.
KIND is one of line, scatter, bar, hist, area, box, pie, heatmap.
X is the column of x values or labels and YS the list of columns
to plot (1-based numbers or header names).  Without YS, all
numeric columns other than X are plotted; without X and YS,
column 1 is X when the table has more than one column (for hist
and box, X is unused).  Series get their header names as labels
and a legend appears when there is more than one.  An X of dates
\(see `orgfig-parse-time') gives a line, scatter or area plot a time
axis; other text in X labels the rows."
  (let* ((kind (if (stringp kind) (intern kind) kind))
         (width (orgfig-table-width (remq 'hline table)))
         (no-x (memq kind '(hist box)))
         (x (cond (no-x nil)
                  (x x)
                  ((and (null ys) (> width 1)) 1)))
         (ys (or ys
                 (cl-loop for i from 1 to width
                          unless (or (equal i x)
                                     (and x (not (integerp x))
                                          (equal (orgfig-table--name table i)
                                                 (format "%s" x)))
                                     (not (orgfig-table--numeric-p table i)))
                          collect i)))
         (xv (and x (orgfig-table-column table x)))
         (labels (and x (orgfig-table-labels table x)))
         (text-x (and xv (cl-every #'isnan xv)))
         ;; Dates in X, for a line, scatter or area: a time axis.
         (dates (and text-x (memq kind '(line scatter area))
                     (orgfig--dates-p (orgfig-table-cells table x))))
         (names (mapcar (lambda (c) (orgfig-table--name table c)) ys))
         (series (mapcar (lambda (c) (orgfig-table-column table c)) ys))
         (n (length (car series)))
         (index (vconcat (number-sequence 0 (1- n))))
         (row-labels (or labels (mapcar #'number-to-string
                                        (number-sequence 1 n)))))
    (unless series
      (orgfig-table--fail "orgfig-table-plot: no numeric column to plot"))
    ;; Text in X (month names...): plot against the row index and write
    ;; the text as tick labels.
    (cond (dates (setq xv (orgfig-table-dates table x)))
          (text-x
           (setq xv index)
           (when (memq kind '(line scatter area))
             (orgfig-set fig :xticks (append index nil) :xticklabels labels))))
    (pcase kind
      ('line (cl-mapc (lambda (s name) (orgfig-line fig xv s :label name))
                      series names))
      ('scatter (cl-mapc (lambda (s name)
                           (orgfig-scatter fig (or xv index) s :label name))
                         series names))
      ('bar (cl-mapc (lambda (s name) (orgfig-bar fig row-labels s :label name))
                     series names))
      ('hist (cl-mapc (lambda (s name)
                        (orgfig-hist fig s :label name
                                     :alpha (if (cdr series) 0.6 1.0)))
                      series names))
      ('area (orgfig-area fig (or xv index) series :labels names))
      ('box (orgfig-box fig series :labels names))
      ('pie (orgfig-pie fig row-labels (car series)))
      ('heatmap (orgfig-heatmap fig (apply #'cl-mapcar #'vector series)
                                :xlabels names :ylabels row-labels))
      (_ (user-error "Unknown orgfig :plot %s (use line, scatter, bar, hist, area, box, pie or heatmap)"
                     kind)))
    (puthash fig (list kind) orgfig-org--figure-kinds)
    (when (and x (memq kind '(line scatter bar area)))
      (orgfig-set fig :xlabel (orgfig-table--name table x)))
    (when (and (= (length names) 1) (memq kind '(line scatter bar)))
      (orgfig-set fig :ylabel (car names)))
    (when (and (cdr names) (memq kind '(line scatter bar hist area)))
      (orgfig-set fig :legend t))
    fig))

(defun orgfig-babel--columns (value)
  "Parse the :x or :y header VALUE into a list of column specs."
  (cond ((null value) nil)
        ((integerp value) (list value))
        ((numberp value) (list (truncate value)))
        ((symbolp value) (list (symbol-name value)))
        ((listp value) (mapcan #'orgfig-babel--columns value))
        ((stringp value)
         (mapcar (lambda (s)
                   (if (string-match-p "\\`[0-9]+\\'" s) (string-to-number s) s))
                 (split-string value "[ \t]*,[ \t]*" t "[ \t\"]+")))
        (t (user-error "Bad orgfig column specification %S" value))))

;;;; Evaluation

(defun orgfig-babel--read-body (body)
  "Read the Lisp forms of BODY, a string, and return them as a list."
  (with-temp-buffer
    (emacs-lisp-mode)
    (insert body)
    (goto-char (point-min))
    (let (forms)
      (while (progn (forward-comment (buffer-size)) (not (eobp)))
        (push (read (current-buffer)) forms))
      (nreverse forms))))

(defun orgfig-babel--record-headers (vars params)
  "Remember the column names Org removed from the table VARS.
PARAMS holds them under :colname-names as (NAME . COLUMNS)."
  (dolist (entry (cdr (assq :colname-names params)))
    (let ((value (cdr (assq (car entry) vars))))
      (when (and (consp value) (cdr entry))
        (puthash value (mapcar (lambda (c) (format "%s" c)) (cdr entry))
                 orgfig-table--headers)))))

(defun orgfig-babel-expand-body (body params)
  "Return BODY with the bindings PARAMS give it, as Emacs Lisp text.
This is `org-babel-expand-body:orgfig', used by \\[org-babel-expand-src-block]."
  (let ((print-level nil) (print-length nil))
    (format "(orgfig-with-figure (fig%s)\n  (let (%s)\n%s))"
            (mapconcat (lambda (x) (format " %S" x))
                       (orgfig-babel--figure-props params) "")
            (mapconcat (lambda (v) (format "(%S '%S)" (car v) (cdr v)))
                       (org-babel--get-vars params) "\n        ")
            body)))

(defun orgfig-babel--wanted-p (obj fig)
  "Return non-nil when OBJ is a live figure to show; FIG is the block's own.
FIG is shown only when something was drawn on it."
  (and (orgfig-figure-p obj) (orgfig-live-p obj)
       (or (not (eq obj fig))
           (> (or (plist-get (orgfig-figure-info obj) :artists) 0) 0))))

(defun orgfig-babel--write (fig file)
  "Render FIG into FILE, format from its extension (png, svg, pdf)."
  (let* ((ext (downcase (or (file-name-extension file) "")))
         (bytes (pcase ext
                  ("png" (orgfig-render fig 'png t))
                  ("svg" (orgfig-render fig 'svg))
                  ("pdf" (orgfig-render fig 'pdf))
                  (_ (user-error "The orgfig :file %s must end in .png, .svg or .pdf"
                                 file)))))
    (let ((coding-system-for-write 'binary))
      (write-region bytes nil file nil 'silent))
    file))

(defun orgfig-babel--nth-file (file n)
  "Return FILE for the Nth figure (0-based): FILE, then FILE-2.EXT ..."
  (if (= n 0) file
    (format "%s-%d.%s" (file-name-sans-extension file) (1+ n)
            (file-name-extension file))))

(defun orgfig-babel--lines (lines result-params)
  "Join the result LINES for insertion with RESULT-PARAMS.
Several raw lines are put in a results drawer, so Org can find and
replace all of them when the block runs again."
  (cond ((null lines)
         (if (member "raw" result-params) ": orgfig: nothing was drawn"
           "orgfig: nothing was drawn"))
        ((and (cdr lines) (member "raw" result-params)
              (not (member "drawer" result-params)))
         (concat ":results:\n" (mapconcat #'identity lines "\n") "\n:end:"))
        (t (mapconcat #'identity lines "\n"))))

(defun orgfig-babel--results (figs params)
  "Return the block result for the figures FIGS given PARAMS."
  (let ((file (cdr (assq :file params)))
        (result-params (cdr (assq :result-params params))))
    (cond
     ((and file (member "file" result-params))
      ;; Org inserts the link to FILE itself.
      (when figs (orgfig-babel--write (car figs) file))
      (when (cdr figs)
        (message "orgfig: %d figures but one :file; only the first was written"
                 (length figs)))
      nil)
     (file
      (orgfig-babel--lines
       (cl-loop for fig in figs for i from 0
                collect (org-babel-result-to-file
                         (orgfig-babel--write fig (orgfig-babel--nth-file file i))))
       result-params))
     (t (orgfig-babel--lines (mapcar #'orgfig-figure-link figs) result-params)))))

(fset 'org-babel-expand-body:orgfig #'orgfig-babel-expand-body)

;;;###autoload
(defun org-babel-execute:orgfig (body params)
  "Execute the orgfig source block BODY with header arguments PARAMS.
Evaluate BODY as lexical Emacs Lisp with `fig' bound to a new figure
and each :var bound to its value, or, with :plot, plot the first
table :var (see `orgfig-table-plot').  Return the result text: one
`orgfig:' link per figure drawn, or file links with :file.  Every
figure and dataset created is closed before returning, even when
BODY signals, unless :keep is yes."
  (let* ((vars (org-babel--get-vars params))
         (keep (orgfig-org--yes-p (cdr (assq :keep params))))
         (plot (cdr (assq :plot params)))
         (forms (orgfig-babel--read-body body))
         value fig objects)
    (orgfig--collecting collector
      (unwind-protect
          (progn
            (setq fig (apply #'orgfig-figure (orgfig-babel--figure-props params)))
            (orgfig-babel--record-headers vars params)
            (when plot
              (let ((table (cl-some (lambda (v) (and (consp (cdr v))
                                                     (listp (cadr v))
                                                     (cdr v)))
                                    vars)))
                (unless table
                  (user-error "The orgfig :plot header needs a table, e.g. :var data=mytable"))
                (orgfig-table-plot
                 fig table plot
                 (car (orgfig-babel--columns (cdr (assq :x params))))
                 (orgfig-babel--columns (cdr (assq :y params))))))
            (dolist (k '(:xlabel :ylabel))
              (when-let ((v (cdr (assq k params))))
                (orgfig-set fig k (format "%s" v))))
            (when forms
              (setq value
                    (eval `(let (,@(unless (assq 'fig vars) `((fig ',fig)))
                                 ,@(mapcar (lambda (v) `(,(car v) ',(cdr v)))
                                           vars))
                             ,@forms)
                          t)))
            (setq objects (orgfig--collected collector))
            (let ((figs (cl-remove-if-not
                         (lambda (o) (orgfig-babel--wanted-p o fig)) objects)))
              (when (and (orgfig-babel--wanted-p value fig) (not (memq value figs)))
                (setq figs (append figs (list value))))
              (orgfig-babel--results figs params)))
        (setq objects (orgfig--collected collector))
        (if keep
            (orgfig-org-keep objects)
          (orgfig-org-close-objects objects))))))

(defun org-babel-prep-session:orgfig (_session _params)
  "Signal an error: orgfig blocks have no sessions."
  (error "Orgfig blocks do not support sessions"))

(provide 'ob-orgfig)
;;; ob-orgfig.el ends here
