;;; orgfig-commands.el --- Interactive commands for orgfig  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The orgfig authors

;; Author: The orgfig authors
;; Keywords: tools, data, multimedia, outlines

;; This file is not part of GNU Emacs.

;; This program is free software; you can redistribute it and/or modify
;; it under the terms of the GNU General Public License as published by
;; the Free Software Foundation, either version 3 of the License, or
;; (at your option) any later version.

;; This program is distributed in the hope that it will be useful,
;; but WITHOUT ANY WARRANTY; without even the implied warranty of
;; MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
;; GNU General Public License for more details.

;; You should have received a copy of the GNU General Public License
;; along with this program.  If not, see <https://www.gnu.org/licenses/>.

;;; Commentary:

;; The interactive side of orgfig:
;;
;; - `orgfig-plot-table' plots the Org table at point.  It understands
;;   org-plot's "#+PLOT:" lines (title, ind, deps, type, with, file,
;;   labels, min/max) with a parser of its own that never `read's or
;;   evaluates anything taken from the buffer.
;; - `orgfig-plot-region' plots numbers or CSV/TSV text in the region.
;; - `orgfig-plot-csv-file' plots columns of a CSV file.
;; - `orgfig-view' shows a figure in a buffer of its own, re-rendered to
;;   the window's width when the window changes size.
;; - `orgfig-list-figures' lists open figures, `orgfig-memory-report'
;;   shows what orgfig holds in memory.
;;
;; Every command closes the figures it creates, either at once (after
;; rendering) or when the buffer that shows them is killed, and flushes
;; every image it stops showing from Emacs's image cache.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'tabulated-list)
(require 'orgfig)
(require 'orgfig-org)

;;;; Declarations for the bytecode compiler

(declare-function org-at-table-p "org" (&optional table-type))
(declare-function org-table-begin "org-table" (&optional table-type))
(declare-function org-table-end "org-table" (&optional table-type))
(declare-function org-table-to-lisp "org-table" (&optional txt))
(declare-function dired-get-filename "dired"
                  (&optional localp no-error-if-not-filep))
(defvar org-inline-image-overlays)

;;;; Customization

(defcustom orgfig-view-resize-delay 0.3
  "Seconds to wait after a viewer window changes size before re-rendering.
The figure in an `orgfig-view-mode' buffer that keeps its figure
open is re-rendered at the new window width once the window has
kept its size for this long."
  :type 'number
  :group 'orgfig)

(defcustom orgfig-plot-region-kind 'line
  "Plot kind `orgfig-plot-region' uses for numeric data.
Data whose first column is text other than dates is always drawn as
bars; a first column of dates gives line, scatter and area plots a
time axis."
  :type '(choice (const line) (const scatter) (const bar) (const area)
                 (const hist) (const box))
  :group 'orgfig)

(defcustom orgfig-region-module-bytes (* 256 1024)
  "Regions larger than this many characters are parsed by the module.
`orgfig-plot-region' then hands the text to the module's CSV reader
through a temporary file instead of parsing it in Lisp."
  :type 'integer
  :group 'orgfig)

(defcustom orgfig-csv-lisp-max-bytes (* 4 1024 1024)
  "Largest CSV file, in bytes, that the Lisp fallback reader accepts.
The fallback is only used when the module's `orgfig-read-csv' is
not available; it is much slower and keeps every cell as a Lisp
string."
  :type 'integer
  :group 'orgfig)

;;;; Internal variables

(defconst orgfig--plot-kinds
  '(line linespoints scatter bar hist area box pie heatmap)
  "Plot kinds the commands offer and `orgfig--draw' understands.")

(defconst orgfig--plot-option-keys
  '(("title" . title) ("ind" . ind) ("deps" . deps) ("type" . type)
    ("with" . with) ("file" . file) ("labels" . labels)
    ("min" . ymin) ("ymin" . ymin) ("max" . ymax) ("ymax" . ymax)
    ("xmin" . xmin) ("xmax" . xmax)
    ("trans" . transpose) ("transpose" . transpose))
  "The #+PLOT options orgfig supports, mapped to their internal names.")

(defconst orgfig--plot-gnuplot-only
  '("set" "line" "map" "script" "timeind" "timefmt" "ticks" "textind"
    "xlabels" "ylabels")
  "The #+PLOT options that only make sense for gnuplot.")

(defconst orgfig--number-regexp
  (concat "\\`[ \t]*[-+]?\\(?:[0-9]+\\(?:\\.[0-9]*\\)?\\|\\.[0-9]+\\)"
          "\\(?:[eE][-+]?[0-9]+\\)?[ \t]*\\'")
  "A decimal number, possibly signed, with optional exponent.")

(defvar-local orgfig-view--figure nil
  "The figure an `orgfig-view-mode' buffer shows.")

(defvar-local orgfig-view--keep nil
  "The KEEP argument `orgfig-view' was called with.")

(defvar-local orgfig-view--image nil
  "The image shown in this viewer buffer, to flush when replaced.")

(defvar-local orgfig-view--png nil
  "PNG bytes of a viewer whose figure was closed after rendering.")

(defvar-local orgfig-view--aspect nil
  "Height divided by width of the figure when the viewer opened it.")

(defvar-local orgfig-view--timer nil
  "Pending re-render timer of this viewer buffer.")

(defvar-local orgfig-view--rendered-width nil
  "Width in pixels of the last rendering of a kept figure.")

(defvar-local orgfig-view--info nil
  "The figure's `orgfig-figure-info' when the viewer last rendered it.")

;;;; Number and text helpers

(defun orgfig--number-string-p (string)
  "Return non-nil if STRING is a decimal number."
  (and (stringp string) (string-match-p orgfig--number-regexp string)))

(defun orgfig--cell-number (string)
  "Return STRING as a float, NaN if STRING is blank, nil if not a number."
  (cond ((string-blank-p string) 0.0e+NaN)
        ((orgfig--number-string-p string)
         (float (string-to-number (string-trim string))))))

(defun orgfig--numeric-column-p (cells)
  "Return non-nil if every non-blank string in CELLS is a number.
At least one cell must be non-blank."
  (and (cl-some (lambda (c) (not (string-blank-p c))) cells)
       (cl-every (lambda (c) (or (string-blank-p c) (orgfig--number-string-p c)))
                 cells)))

(defun orgfig--human-bytes (n)
  "Return N bytes as a short human-readable string."
  (if (< n 1024)
      (format "%d B" n)
    (file-size-human-readable n 'iec)))

(defun orgfig--age-string (seconds)
  "Return SECONDS as a short age such as \"12s\", \"3m\", \"2h\" or \"4d\"."
  (let ((s (max 0 (floor seconds))))
    (cond ((< s 60) (format "%ds" s))
          ((< s 3600) (format "%dm" (/ s 60)))
          ((< s 86400) (format "%dh" (/ s 3600)))
          (t (format "%dd" (/ s 86400))))))

;;;; Parsing #+PLOT lines

(defun orgfig--plot-scan-string (text pos)
  "Scan a double-quoted string in TEXT starting at the quote at POS.
Backslash escapes \\\" \\\\ \\n and \\t are understood.  Return
\(STRING . END) where END is the position after the closing quote."
  (let ((i (1+ pos)) (len (length text)) (chars nil) (done nil))
    (while (not done)
      (when (>= i len)
        (user-error "Unterminated string in #+PLOT options: %s"
                    (substring text pos)))
      (let ((c (aref text i)))
        (cond ((eq c ?\") (setq done t))
              ((and (eq c ?\\) (< (1+ i) len))
               (setq i (1+ i))
               (push (pcase (aref text i) (?n ?\n) (?t ?\t) (x x)) chars))
              (t (push c chars))))
      (setq i (1+ i)))
    (cons (apply #'string (nreverse chars)) i)))

(defun orgfig--plot-atom (string)
  "Return STRING as a number if it is one, otherwise STRING itself."
  (if (orgfig--number-string-p string) (string-to-number string) string))

(defun orgfig--plot-scan-list (text pos)
  "Scan a parenthesized list in TEXT starting at the paren at POS.
Elements are strings, numbers or bare words (kept as strings).
Nested lists are not allowed.  Return (LIST . END)."
  (let ((i (1+ pos)) (len (length text)) (items nil) (done nil))
    (while (not done)
      (while (and (< i len) (memq (aref text i) '(?\s ?\t)))
        (setq i (1+ i)))
      (when (>= i len)
        (user-error "Unterminated list in #+PLOT options: %s"
                    (substring text pos)))
      (let ((c (aref text i)))
        (cond ((eq c ?\)) (setq done t i (1+ i)))
              ((eq c ?\()
               (user-error "Nested lists are not allowed in #+PLOT options: %s"
                           (substring text pos)))
              ((eq c ?\")
               (let ((s (orgfig--plot-scan-string text i)))
                 (push (car s) items)
                 (setq i (cdr s))))
              (t
               (let ((start i))
                 (while (and (< i len)
                             (not (memq (aref text i) '(?\s ?\t ?\( ?\) ?\"))))
                   (setq i (1+ i)))
                 (push (orgfig--plot-atom (substring text start i)) items))))))
    (cons (nreverse items) i)))

(defun orgfig-parse-plot-options (text)
  "Parse the org-plot option string TEXT without evaluating anything.
TEXT is what follows \"#+PLOT:\", e.g.
  title:\"Sales\" ind:1 deps:(2 3) with:lines file:\"out.png\"
Values are double-quoted strings, lists of strings and numbers in
parentheses, or bare words up to the next blank (numbers when they
look like numbers).  Nothing is passed to `read' or `eval'.

Return a list of (KEY VALUE RAW) in the order of TEXT, KEY being the
option name as a string, VALUE the parsed value and RAW the value's
text exactly as written.  Words without a colon are skipped."
  (let ((i 0) (len (length text)) (result nil))
    (while (< i len)
      (cond
       ((memq (aref text i) '(?\s ?\t ?\n ?\r))
        (setq i (1+ i)))
       ((eq (string-match "\\([A-Za-z][A-Za-z0-9_-]*\\):" text i) i)
        (let ((key (downcase (match-string 1 text)))
              (start (match-end 0))
              value end)
          (cond ((>= start len) (setq value "" end start))
                ((eq (aref text start) ?\")
                 (let ((s (orgfig--plot-scan-string text start)))
                   (setq value (car s) end (cdr s))))
                ((eq (aref text start) ?\()
                 (let ((s (orgfig--plot-scan-list text start)))
                   (setq value (car s) end (cdr s))))
                (t
                 (setq end (or (string-match "[ \t\n\r]" text start) len)
                       value (orgfig--plot-atom (substring text start end)))))
          (push (list key value (substring text start end)) result)
          (setq i end)))
       (t
        ;; A stray word: skip it up to the next blank.
        (setq i (or (string-match "[ \t\n\r]" text i) len)))))
    (nreverse result)))

(defun orgfig--plot-option-error (key raw what)
  "Signal a `user-error' that option KEY with text RAW is not WHAT."
  (user-error "#+PLOT option %s:%s must be %s" key raw what))

(defun orgfig--plot-integer (key value raw)
  "Return VALUE of option KEY (text RAW) as a non-negative integer."
  (unless (and (natnump value))
    (orgfig--plot-option-error key raw "a non-negative integer"))
  value)

(defun orgfig--plot-normalize-options (entries)
  "Turn parsed #+PLOT ENTRIES into a plist of orgfig options.
ENTRIES is a list of (KEY VALUE RAW) as `orgfig-parse-plot-options'
returns.  The first occurrence of an option wins, as in org-plot.
The plist has :title :ind :deps :type :with :file :labels :ymin :ymax
:xmin :xmax :transpose, plus :ignored, the list of option names
that were ignored (gnuplot-only or unknown), in order."
  (let ((plist nil) (ignored nil))
    (dolist (e entries)
      (pcase-let* ((`(,key ,value ,raw) e)
                   (name (cdr (assoc key orgfig--plot-option-keys)))
                   (prop (and name (intern (concat ":" (symbol-name name))))))
        (cond
         ((null name) (unless (member key ignored) (push key ignored)))
         ((plist-member plist prop))
         (t
          (setq plist
                (plist-put
                 plist prop
                 (pcase name
                   ('title (if (stringp value) value raw))
                   ('ind (orgfig--plot-integer key value raw))
                   ('deps
                    (let ((l (if (listp value) value (list value))))
                      (unless (and l (cl-every (lambda (d) (and (natnump d) (> d 0)))
                                               l))
                        (orgfig--plot-option-error
                         key raw "a list of column numbers such as (2 3)"))
                      l))
                   ((or 'type 'with)
                    (if (or (stringp value) (numberp value))
                        (downcase (format "%s" value))
                      (orgfig--plot-option-error key raw "a word")))
                   ('file
                    (unless (and (stringp value) (not (string-empty-p value)))
                      (orgfig--plot-option-error key raw "a file name"))
                    value)
                   ('labels
                    (mapcar (lambda (l) (format "%s" l))
                            (if (listp value) value (list value))))
                   ((or 'ymin 'ymax 'xmin 'xmax)
                    (unless (numberp value)
                      (orgfig--plot-option-error key raw "a number"))
                    (float value))
                   ('transpose
                    (and (member (format "%s" value) '("y" "yes" "t")) t)))))))))
    (plist-put plist :ignored (nreverse ignored))))

(defun orgfig--plot-lines-above-table (table-begin)
  "Return the option text of the #+PLOT lines above TABLE-BEGIN.
Like org-plot, look at the block of \"#+\" lines immediately above
the table and keep the contents of the #+PLOT ones, top to bottom."
  (save-excursion
    (goto-char table-begin)
    (let ((lines nil) (case-fold-search t))
      (while (and (zerop (forward-line -1))
                  (looking-at "[ \t]*#\\+"))
        (when (looking-at "[ \t]*#\\+plot:[ \t]*\\(.*\\)$")
          (push (match-string-no-properties 1) lines)))
      lines)))

;;;; Drawing data

(defun orgfig--kind (name)
  "Return the plot kind named NAME (a string or symbol), or nil."
  (let ((s (and name (intern (downcase (format "%s" name))))))
    (and (memq s orgfig--plot-kinds) s)))

(defun orgfig--index-vector (n)
  "Return a vector of the N floats 0.0, 1.0, 2.0 and so on."
  (let ((v (make-vector n 0.0)))
    (dotimes (i n) (aset v i (float i)))
    v))

(defun orgfig--series-length (seq)
  "Return the number of values in SEQ (a sequence or an orgfig column)."
  (if (sequencep seq) (length seq)
    (plist-get (orgfig-column-info seq) :length)))

(cl-defun orgfig--draw (fig kind x ys &key names xname categories title
                            ylim xlim)
  "Draw the series YS on FIG as a plot of KIND and label the axes.
KIND is one of `orgfig--plot-kinds'.  X is a vector of numbers or
nil (then values are plotted against their index); CATEGORIES, if
non-nil, is a list of strings naming the rows (they label the x
axis, or the bars and pie slices).  YS is a list of vectors of
numbers (or orgfig columns), NAMES their legend labels (a list of
strings or nils) and XNAME the x axis label.  TITLE, YLIM and
XLIM set the axes title and limits."
  (let* ((names (append names (make-list (max 0 (- (length ys) (length names)))
                                         nil)))
         (n (orgfig--series-length (car ys)))
         (xs (or x (orgfig--index-vector n)))
         (cats (and categories (vconcat categories)))
         (several (cdr ys))
         (ylabel (and (not several) (car names))))
    (pcase kind
      ((or 'line 'linespoints)
       (cl-mapc (lambda (y name)
                  (apply #'orgfig-line fig xs y
                         (append (and name (list :label name))
                                 (and (eq kind 'linespoints)
                                      (list :marker 'circle)))))
                ys names))
      ('scatter
       (cl-mapc (lambda (y name)
                  (apply #'orgfig-scatter fig xs y (and name (list :label name))))
                ys names))
      ('bar
       (let ((labels (or cats x (orgfig--index-vector n))))
         (if several
             (cl-mapc (lambda (y name)
                        (apply #'orgfig-bar fig labels y :group t
                               (and name (list :label name))))
                      ys names)
           (orgfig-bar fig labels (car ys)))
         (setq cats nil)))
      ('hist
       (cl-mapc (lambda (y name)
                  (apply #'orgfig-hist fig y
                         (append (and name (list :label name))
                                 (and several (list :alpha 0.6)))))
                ys names)
       (setq ylabel nil))
      ('area
       (apply #'orgfig-area fig xs ys
              (and (cl-some #'identity names)
                   (list :labels (mapcar (lambda (s) (or s "")) names)))))
      ('box
       (apply #'orgfig-box fig ys
              (and (cl-some #'identity names)
                   (list :labels (mapcar (lambda (s) (or s "")) names))))
       (setq cats nil xname nil))
      ('pie
       (orgfig-pie fig (or cats
                           (and (sequencep xs)
                                (vconcat (mapcar (lambda (v) (format "%g" v))
                                                 (append xs nil))))
                           (orgfig--index-vector n))
                   (car ys))
       (setq cats nil xname nil ylabel nil))
      ('heatmap
       ;; Rows of the table are rows of the matrix; series are columns.
       (unless (cl-every #'sequencep ys)
         (user-error "Heatmaps of file columns are not supported; \
use `orgfig-heatmap'"))
       (let ((rows (make-vector n nil)))
         (dotimes (r n)
           (aset rows r (vconcat (mapcar (lambda (y) (elt y r)) ys))))
         (apply #'orgfig-heatmap fig rows
                (append (and (cl-every #'identity names)
                             (list :xlabels (vconcat names)))
                        (and cats (list :ylabels cats)))))
       (setq cats nil xname nil ylabel nil))
      (_ (user-error "Unknown plot kind %s" kind)))
    ;; Categories on an x axis of positions 0..n-1.
    (when (and cats (memq kind '(line linespoints scatter area)))
      (orgfig-set fig :xticks (orgfig--index-vector n)
                  :xticklabels (append cats nil)))
    (apply #'orgfig-set fig
           (append (and title (list :title title))
                   (and xname (list :xlabel xname))
                   (and ylabel (list :ylabel ylabel))
                   (and ylim (list :ylim ylim))
                   (and xlim (list :xlim xlim))
                   (and several (not (memq kind '(box heatmap pie)))
                        (list :legend t))))
    fig))

;;;; Tables

(defun orgfig--table-rows (table)
  "Split the Lisp TABLE (from `org-table-to-lisp') into header and rows.
Return (HEADER . ROWS): HEADER is the first row if it is followed
by a horizontal line, else nil; ROWS are the other data rows, all
padded to the same length with empty strings."
  (let* ((header (and (consp (car table)) (eq (cadr table) 'hline)
                      (car table)))
         (rows (delq 'hline (copy-sequence (if header (cddr table) table))))
         (width (apply #'max (length header) (mapcar #'length rows))))
    (cons (and header (orgfig--pad header width))
          (mapcar (lambda (r) (orgfig--pad r width)) rows))))

(defun orgfig--pad (row width)
  "Return ROW padded with empty strings to WIDTH elements."
  (append row (make-list (max 0 (- width (length row))) "")))

(defun orgfig--transpose (rows)
  "Transpose ROWS, a list of equally long lists."
  (when rows
    (let ((cols (make-vector (length (car rows)) nil)))
      (dolist (r rows)
        (let ((i 0))
          (dolist (c r)
            (when (< i (length cols))
              (aset cols i (cons c (aref cols i))))
            (setq i (1+ i)))))
      (mapcar #'nreverse (append cols nil)))))

(defun orgfig--kind-from-options (opts)
  "Return the plot kind that the #+PLOT options OPTS ask for.
Return nil when the options leave it open (default line)."
  (let ((type (plist-get opts :type))
        (with (plist-get opts :with)))
    (cond
     ((and type (orgfig--kind type)))
     ((member type '("3d" "grid")) 'heatmap)
     ((and type (not (equal type "2d")))
      (user-error "#+PLOT type:%s is not supported by orgfig" type))
     ((null with) nil)
     ((orgfig--kind with))
     ((equal with "lines") 'line)
     ((equal with "points") 'scatter)
     ((equal with "linespoints") 'linespoints)
     ((member with '("histograms" "histogram" "boxes" "impulses")) 'bar)
     (t (user-error "#+PLOT with:%s is not supported by orgfig" with)))))

(defun orgfig--column-numbers (cells name)
  "Return CELLS (strings) as a vector of floats; NAME names the column.
Blank cells become NaN.  Signal a `user-error' on other text."
  (vconcat
   (cl-loop for c in cells
            for i from 1
            collect (or (orgfig--cell-number c)
                        (user-error "Column %s is not numeric: row %d holds %S"
                                    name i c)))))

(defun orgfig--fill-limit (lo hi values)
  "Return (LO HI) with a missing bound taken from the finite VALUES.
Return nil when neither LO nor HI is given."
  (when (or lo hi)
    (let ((finite (cl-remove-if-not (lambda (v) (and (= v v) (< (abs v) 1.0e308)))
                                    values)))
      (list (or lo (if finite (apply #'min finite) 0.0))
            (or hi (if finite (apply #'max finite) 1.0))))))

(defun orgfig--table-plot-spec (table opts has-options)
  "Work out what to plot from the Lisp TABLE and #+PLOT options OPTS.
HAS-OPTIONS is non-nil if a #+PLOT line was present.  Return a
plist (:kind :x :categories :ys :names :xname :ylim :xlim) for
`orgfig--draw'."
  (let* ((split (orgfig--table-rows table))
         (header (car split))
         (rows (cdr split)))
    (when (plist-get opts :transpose)
      (let ((all (orgfig--transpose (if header (cons header rows) rows))))
        (setq header nil rows all)))
    (unless rows (user-error "The table has no data rows"))
    (let* ((cols (orgfig--transpose rows))
           (ncols (length cols))
           (first-numeric (orgfig--numeric-column-p (car cols)))
           (ind (or (plist-get opts :ind)
                    (cond ((= ncols 1) 0)
                          ((not first-numeric) 1)
                          (has-options 0)
                          (t 1))))
           (deps (or (plist-get opts :deps)
                     (cl-loop for c from 1 to ncols
                              unless (= c ind) collect c)))
           (labels (plist-get opts :labels))
           (kind (orgfig--kind-from-options opts))
           x categories)
      (when (> ind ncols)
        (user-error "#+PLOT ind:%d but the table has %d columns" ind ncols))
      (dolist (d deps)
        (when (> d ncols)
          (user-error "#+PLOT deps holds %d but the table has %d columns" d ncols)))
      (when (> ind 0)
        (let ((cells (nth (1- ind) cols)))
          (cond ((orgfig--numeric-column-p cells)
                 (setq x (orgfig--column-numbers cells (nth (1- ind) header))))
                ;; Dates: a time axis, unless the plot wants labels.
                ((and (memq kind '(nil line linespoints scatter area))
                      (orgfig--dates-p cells))
                 (setq x (orgfig--pack-dates cells)))
                (t (setq categories cells)))))
      ;; Without an x column, a text first column names the rows.
      (when (and (= ind 0) (not first-numeric) (> ncols 1))
        (setq categories (car cols)
              deps (remq 1 deps)))
      (when (and categories (memq kind '(nil line linespoints)))
        (setq kind 'bar))
      (unless deps (user-error "Nothing to plot: no numeric columns"))
      (let* ((ys (mapcar (lambda (d)
                           (orgfig--column-numbers
                            (nth (1- d) cols)
                            (or (nth (1- d) header) (format "$%d" d))))
                         deps))
             (names (mapcar
                     (lambda (d)
                       (cond
                        ;; Labels given for exactly the plotted series.
                        ((and labels (= (length labels) (length deps))
                              (/= (length labels) ncols))
                         (nth (cl-position d deps) labels))
                        ;; Otherwise by column, as org-plot does.
                        ((and labels (nth (1- d) labels)))
                        ((nth (1- d) header))))
                     deps))
             (all (apply #'vconcat ys)))
        (list :kind (or kind 'line)
              :x x :categories categories :ys ys :names names
              :xname (and (> ind 0) (nth (1- ind) header))
              :ylim (orgfig--fill-limit (plist-get opts :ymin)
                                        (plist-get opts :ymax)
                                        (append all nil))
              :xlim (orgfig--fill-limit (plist-get opts :xmin)
                                        (plist-get opts :xmax)
                                        (and (vectorp x) (append x nil))))))))

(defun orgfig--refresh-inline-images (file)
  "Refresh Org inline images in the current buffer that show FILE.
This is what org-plot does after writing a #+PLOT file."
  (when (boundp 'org-inline-image-overlays)
    (dolist (ov org-inline-image-overlays)
      (let ((img (overlay-get ov 'display)))
        (when (and (eq (car-safe img) 'image)
                   (equal (and (plist-get (cdr img) :file)
                               (expand-file-name (plist-get (cdr img) :file)))
                          file))
          (image-refresh img))))))

(defun orgfig--table-display-pos (end)
  "Return where to show a table's figure, the table ending at END.
That is the end of the table's last line."
  (save-excursion
    (goto-char end)
    (when (and (bolp) (> (point) (point-min)))
      (backward-char))
    (point)))

;;;###autoload
(defun orgfig-plot-table ()
  "Plot the Org table at point with orgfig.
Options come from org-plot's \"#+PLOT:\" lines right above the
table (point may also be on one of them), e.g.

  #+PLOT: title:\"Sales\" ind:1 deps:(2 3) with:lines

Understood: title, ind (the x column, 1-based; 0 plots against the
row number), deps (the y columns), type (2d, 3d/grid as a heatmap,
or an orgfig kind: line, scatter, bar, hist, area, box, pie,
heatmap), with (lines, points, linespoints, histograms, boxes,
impulses, or an orgfig kind), labels (legend labels), min/max,
xmin/xmax, transpose and file.  Gnuplot-only options (set, line,
script, ...) are ignored with one message naming them.  Without
\"ind\" and without a #+PLOT line, the first column is x; a
non-numeric x column gives a bar chart of its categories, unless it
holds dates (ISO 8601 or Org timestamps, see `orgfig-parse-time'),
which give a line on a time axis.  A header
row (a row followed by a horizontal line) names the series and the
x axis.

With file:\"NAME\", write the figure to NAME (PNG, SVG or PDF by
extension, relative to the buffer's directory) and refresh inline
images of that file, as org-plot does.  Otherwise show the figure
under the table without modifying the buffer; plotting again
replaces it.  The figure is closed after rendering.  Nothing taken
from the buffer is ever evaluated."
  (interactive)
  (require 'org)
  (require 'org-table)
  (save-excursion
    (let ((case-fold-search t))
      ;; On the #+PLOT lines above a table, as with org-plot: that table.
      (when (and (not (org-at-table-p))
                 (save-excursion (beginning-of-line)
                                 (looking-at "[ \t]*#\\+plot:")))
        (let ((pos (save-excursion
                     (while (and (zerop (forward-line 1))
                                 (looking-at "[ \t]*#\\+")))
                     (and (org-at-table-p) (point)))))
          (when pos (goto-char pos)))))
    (unless (org-at-table-p) (user-error "Not in an org table"))
    (orgfig--plot-table-at-point)))

(defun orgfig--plot-table-at-point ()
  "Do the work of `orgfig-plot-table' for the table at point."
  (let* ((beg (org-table-begin))
         (end (org-table-end))
         (lines (orgfig--plot-lines-above-table beg))
         (opts (orgfig--plot-normalize-options
                (apply #'append (mapcar #'orgfig-parse-plot-options lines))))
         (table (save-excursion (goto-char beg) (org-table-to-lisp)))
         (spec (orgfig--table-plot-spec table opts (and lines t)))
         (ignored (plist-get opts :ignored))
         (file (plist-get opts :file))
         (orgfig-creation-context
          (format "%s:%d (table)" (buffer-name) (line-number-at-pos beg))))
    (when ignored
      (message "orgfig-plot-table: ignored gnuplot-only or unknown options: %s"
               (string-join ignored ", ")))
    (unless (or file (and (image-type-available-p 'png)
                          (or noninteractive (display-images-p))))
      (user-error "Images need a graphical frame; add file:\"NAME.png\" \
to the #+PLOT line to write the figure to a file"))
    (orgfig-with-figure (fig)
      (orgfig--draw fig (plist-get spec :kind) (plist-get spec :x)
                    (plist-get spec :ys)
                    :names (plist-get spec :names)
                    :xname (plist-get spec :xname)
                    :categories (plist-get spec :categories)
                    :title (plist-get opts :title)
                    :ylim (plist-get spec :ylim)
                    :xlim (plist-get spec :xlim))
      (cond
       (file
        (let ((path (expand-file-name file)))
          (orgfig-save fig path)
          (orgfig--refresh-inline-images path)
          (message "Wrote %s" path)
          path))
       (t
        (orgfig-display-image-after (orgfig--table-display-pos end)
                                    (orgfig-image fig)
                                    ;; A marker follows edits above the
                                    ;; table, so the next run still finds
                                    ;; (`equal') and replaces this image.
                                    (list 'orgfig-plot-table
                                          (copy-marker beg))))))))

;;;; Region

(defun orgfig--trim (string)
  "Return STRING without surrounding blanks (fast when there are none)."
  (if (or (string-empty-p string)
          (and (not (memq (aref string 0) '(?\s ?\t)))
               (not (memq (aref string (1- (length string))) '(?\s ?\t)))))
      string
    (string-trim string)))

(defun orgfig--split-csv-line (line sep)
  "Split LINE at SEP, honouring double-quoted fields; trim the fields."
  (if (not (string-search "\"" line))
      (mapcar #'orgfig--trim (split-string line (string sep)))
    (orgfig--split-quoted-line line sep)))

(defun orgfig--split-quoted-line (line sep)
  "Split LINE at SEP, honouring double-quoted fields; trim the fields."
  (let ((fields nil) (i 0) (len (length line)) (cur nil) (quoted nil))
    (while (< i len)
      (let ((c (aref line i)))
        (cond
         ((and quoted (eq c ?\"))
          (if (and (< (1+ i) len) (eq (aref line (1+ i)) ?\"))
              (progn (push ?\" cur) (setq i (1+ i)))
            (setq quoted nil)))
         (quoted (push c cur))
         ((eq c ?\") (setq quoted t))
         ((eq c sep)
          (push (string-trim (apply #'string (nreverse cur))) fields)
          (setq cur nil))
         (t (push c cur))))
      (setq i (1+ i)))
    (push (string-trim (apply #'string (nreverse cur))) fields)
    (nreverse fields)))

(defun orgfig--guess-separator (line)
  "Return the separator character of the CSV/TSV LINE."
  (let ((best ?,) (best-n 0))
    (dolist (c '(?, ?\t ?\;))
      (let ((n (cl-count c line)))
        (when (> n best-n) (setq best c best-n n))))
    best))

(defun orgfig--split-delimited (text)
  "Split CSV or TSV TEXT into rows of trimmed strings, all equally long.
See `orgfig--parse-delimited' for the separator.  Blank lines and
lines starting with \"#\" are skipped, as the module's reader does.
Quoted fields do not span lines."
  (let* ((lines (cl-remove-if (lambda (l) (or (string-blank-p l)
                                               (string-prefix-p "#" l)))
                              (split-string text "\r?\n\\|\r")))
         (sep (orgfig--guess-separator (or (car lines) "")))
         (rows (mapcar (lambda (l) (orgfig--split-csv-line l sep)) lines))
         (width (apply #'max 0 (mapcar #'length rows))))
    (mapcar (lambda (r) (orgfig--pad r width)) rows)))

(defun orgfig--parse-delimited (text)
  "Parse CSV or TSV TEXT into (HEADER . ROWS) of strings.
The separator is the most frequent of comma, tab and semicolon in
the first non-blank line (ties in that order), as the module's
reader chooses it.  The first row is a header if one of its fields
after the first is not a number.  Blank lines are skipped."
  (let* ((rows (orgfig--split-delimited text))
         (header (and (orgfig--header-row-p rows) (car rows))))
    (cons header (if header (cdr rows) rows))))

(defun orgfig--header-row-p (rows)
  "Return non-nil if the first of ROWS (lists of strings) is a header.
It is when more rows follow and one of its fields after the first is
not a number."
  (and (cdr rows)
       (cl-some (lambda (f) (not (orgfig--number-string-p f))) (cdar rows))))

(defun orgfig--columns-plot-spec (header rows)
  "Return what to plot for delimited data with HEADER and ROWS.
The first column is x (or the row names when it is not numeric),
the others are y series.  A single column is one series against its
index.  Return a plist as `orgfig--table-plot-spec' does."
  (let* ((cols (orgfig--transpose rows))
         (ncols (length cols))
         (name (lambda (i) (or (nth i header) (format "column %d" (1+ i)))))
         x categories (ys nil) (names nil))
    (if (= ncols 1)
        (setq ys (list (orgfig--column-numbers (car cols) (funcall name 0)))
              names (list (car header)))
      (cond ((orgfig--numeric-column-p (car cols))
             (setq x (orgfig--column-numbers (car cols) (funcall name 0))))
            ;; Dates: a time axis, unless the plot wants labels.
            ((and (memq orgfig-plot-region-kind '(line linespoints scatter area))
                  (orgfig--dates-p (car cols)))
             (setq x (orgfig--pack-dates (car cols))))
            (t (setq categories (car cols))))
      (cl-loop for c in (cdr cols) for i from 1
               do (push (orgfig--column-numbers c (funcall name i)) ys)
               (push (nth i header) names))
      (setq ys (nreverse ys) names (nreverse names)))
    (list :kind (if categories 'bar orgfig-plot-region-kind)
          :x x :categories categories :ys ys :names names
          :xname (and (> ncols 1) (car header)))))

(defun orgfig--delimited-text-p (text)
  "Return non-nil if TEXT is CSV or TSV rather than bare numbers.
That is when it holds a comma or semicolon, or when every non-blank
line holds the same number (at least one) of tabs."
  (or (string-match-p "[,;]" text)
      (and (string-search "\t" text)
           (let ((count nil) (same t))
             (dolist (l (split-string text "\r?\n" t))
               (unless (string-blank-p l)
                 (let ((n (cl-count ?\t l)))
                   (if count (unless (= n count) (setq same nil))
                     (setq count n)))))
             (and same count (> count 0))))))

(defun orgfig--region-plot-spec (text)
  "Return what to plot for the region TEXT (see `orgfig-plot-region')."
  (when (string-blank-p text) (user-error "The region is empty"))
  (if (orgfig--delimited-text-p text)
      (let ((parsed (orgfig--parse-delimited text)))
        (unless (cdr parsed) (user-error "The region holds no data rows"))
        (orgfig--columns-plot-spec (car parsed) (cdr parsed)))
    (list :kind orgfig-plot-region-kind
          :ys (list (with-temp-buffer
                      (insert text)
                      (orgfig--scan-numbers (point-min) (point-max))))
          :names (list nil))))

(defun orgfig--scan-numbers (beg end)
  "Return the blank-separated numbers between BEG and END as a vector.
Signal a `user-error' naming the first word that is not a number.
The scan keeps no word alive, so garbage collection stays cheap on
millions of numbers."
  (save-excursion
    (goto-char beg)
    (let ((vals nil) (blank " \t\n\r\f"))
      (skip-chars-forward blank end)
      (while (< (point) end)
        (let* ((start (point))
               (word (progn (skip-chars-forward (concat "^" blank) end)
                            (buffer-substring-no-properties start (point)))))
          (unless (string-match-p orgfig--number-regexp word)
            (user-error "The region is not numeric: %S is not a number" word))
          (push (float (string-to-number word)) vals))
        (skip-chars-forward blank end))
      (vconcat (nreverse vals)))))

(defun orgfig--draw-spec (fig spec &optional title)
  "Draw SPEC (from a *-plot-spec function) on FIG with TITLE."
  (orgfig--draw fig (plist-get spec :kind) (plist-get spec :x)
                (plist-get spec :ys)
                :names (plist-get spec :names)
                :xname (plist-get spec :xname)
                :categories (plist-get spec :categories)
                :title title))

;;;###autoload
(defun orgfig-plot-region (beg end)
  "Plot the numbers or CSV/TSV text between BEG and END in a viewer.
Numbers separated by blanks or newlines make one series, plotted
against its index (as a `orgfig-plot-region-kind' plot).  Text with
commas or semicolons, or with the same number of tabs on every
line, is read as CSV/TSV: an optional header row names the
columns, the first column is x and the others are y series; when
the first column is not numeric it names the rows of a bar chart,
unless it holds dates (see `orgfig-parse-time'): then x is a time axis.
The figure is shown with `orgfig-view' and closed with its buffer.
Regions larger than `orgfig-region-module-bytes' are parsed by the
module's CSV reader, so their numbers never enter the Lisp heap."
  (interactive "r")
  (let* ((text (buffer-substring-no-properties beg end))
         (orgfig-creation-context
          (format "%s:%d-%d (region)" (buffer-name) (line-number-at-pos beg)
                  (line-number-at-pos end))))
    (or (and (fboundp 'orgfig-read-csv)
             (> (length text) orgfig-region-module-bytes)
             (orgfig--plot-region-module text))
        (let ((spec (orgfig--region-plot-spec text)))
          (orgfig--view-new-figure (lambda (fig) (orgfig--draw-spec fig spec)))))))

(cl-defun orgfig--plot-region-module (text)
  "Plot the region TEXT through a temporary file and `orgfig-read-csv'.
Return the viewer buffer, or nil when TEXT needs the Lisp reader
\(its first column is text)."
  (let ((file (make-temp-file "orgfig-region-" nil ".csv"))
        (delimited (orgfig--delimited-text-p text))
        header ds)
    (unwind-protect
        (progn
          (with-temp-buffer
            (insert text)
            (goto-char (point-min))
            (unless delimited
              ;; A character no number has: name the word it is in.
              (when (re-search-forward "[^-+0-9.eE \t\n\r\f]" nil t)
                (let ((end (progn (skip-chars-forward "^ \t\n\r\f") (point)))
                      (start (progn (skip-chars-backward "^ \t\n\r\f") (point))))
                  (user-error "The region is not numeric: %S is not a number"
                              (buffer-substring-no-properties start end))))
              ;; One number per line: a one-column CSV without header.
              (goto-char (point-min))
              (while (re-search-forward
                      "[ \t\r\f][ \t\r\f\n]*\\|\n[ \t\r\f\n]+" nil t)
                (replace-match "\n" t t)))
            (let ((coding-system-for-write 'utf-8-unix))
              (write-region nil nil file nil 'silent)))
          (let* ((sample (and delimited
                              (orgfig--split-delimited
                               (substring text 0 (min (length text) 65536)))))
                 (rows (if (and sample (> (length text) 65536))
                           (butlast (cdr sample)) (cdr sample))))
            (setq header (and delimited (orgfig--header-row-p sample)))
            (let ((cols (orgfig--transpose (if header rows sample))))
              (when (and delimited (cdr cols)
                         (not (orgfig--numeric-column-p (car cols)))
                         ;; Dates are read in C too (a time axis).
                         (not (and (memq orgfig-plot-region-kind
                                         '(line linespoints scatter area))
                                   (orgfig--dates-p (car cols)))))
                ;; Text labels: leave it to the Lisp reader.
                (cl-return-from orgfig--plot-region-module nil))
              (cl-loop for c in (cdr cols) for i from 1
                       unless (orgfig--numeric-column-p c)
                       do (user-error "Column %s is not numeric"
                                      (or (nth i (car sample)) (1+ i))))))
          (setq ds (orgfig-read-csv file :header (and header t)))
          (let* ((names (orgfig-column-names ds))
                 (columns (mapcar (lambda (n) (orgfig-column ds n)) names))
                 (several (cdr columns)))
            (orgfig--view-new-figure
             (lambda (fig)
               (orgfig--draw fig orgfig-plot-region-kind
                             (and several (car columns))
                             (if several (cdr columns) columns)
                             :names (and header (if several (cdr names) names))
                             :xname (and header several (car names)))))))
      (when ds (orgfig-close ds))
      (delete-file file))))

;;;; CSV files

(defun orgfig--file-at-point ()
  "Return the file name at point or in Dired, or nil."
  (or (and (derived-mode-p 'dired-mode)
           (dired-get-filename nil t))
      (let ((f (thing-at-point 'filename t)))
        (and f (file-regular-p f) (expand-file-name f)))))

(defun orgfig--read-csv-lisp (file)
  "Read the small CSV/TSV FILE in Lisp.  Return (HEADER . ROWS)."
  (let ((size (file-attribute-size (file-attributes file))))
    (when (and size (> size orgfig-csv-lisp-max-bytes))
      (user-error "%s is %s, too large for the Lisp CSV reader (the module's \
`orgfig-read-csv' is not available)" file (orgfig--human-bytes size))))
  (orgfig--parse-delimited
   (with-temp-buffer
     (insert-file-contents file)
     (buffer-string))))

(defun orgfig--choose-columns (names)
  "Ask which of NAMES is x and which are y; return (X-NAME . Y-NAMES).
X-NAME may be \"(index)\" for plotting against the row number."
  (let* ((x (completing-read
             (format "X column (default %s): " (car names))
             (cons "(index)" names) nil t nil nil (car names)))
         (rest (remove x names))
         (ys (completing-read-multiple
              (format "Y columns, comma separated (default %s): "
                      (string-join rest ","))
              names nil t nil nil (string-join rest ","))))
    (cons x (or (delete "" ys) rest))))

(defun orgfig--choose-kind (default)
  "Ask for a plot kind with DEFAULT; return it as a symbol."
  (intern (completing-read (format "Plot type (default %s): " default)
                           (mapcar #'symbol-name orgfig--plot-kinds)
                           nil t nil nil (symbol-name default))))

;;;###autoload
(defun orgfig-plot-csv-file (file)
  "Plot columns of the CSV or TSV FILE in a viewer.
Ask for the x column (default the first; \"(index)\" plots against
the row number), the y columns (default all the others) and the plot
type.  The file is read with the module's fast `orgfig-read-csv'
when it is available, otherwise with a slower Lisp reader limited to
`orgfig-csv-lisp-max-bytes'."
  (interactive
   (let ((def (orgfig--file-at-point)))
     (list (read-file-name (if def
                               (format "CSV file (default %s): "
                                       (file-name-nondirectory def))
                             "CSV file: ")
                           nil def t nil))))
  (setq file (expand-file-name file))
  (unless (file-readable-p file) (user-error "Cannot read %s" file))
  (let ((orgfig-creation-context (file-name-nondirectory file)))
    (if (fboundp 'orgfig-read-csv)
        (orgfig--plot-csv-module file)
      (orgfig--plot-csv-lisp file))))

(defun orgfig--plot-csv-lisp (file)
  "Plot FILE, read with the Lisp CSV reader (see `orgfig-plot-csv-file')."
  (let* ((parsed (orgfig--read-csv-lisp file))
         (header (car parsed))
         (rows (or (cdr parsed) (user-error "%s holds no data rows" file)))
         (cols (orgfig--transpose rows))
         (names (or header (cl-loop for i from 1 to (length cols)
                                    collect (format "%d" i))))
         (choice (orgfig--choose-columns names))
         (xi (cl-position (car choice) names :test #'equal))
         (x-cells (and xi (nth xi cols)))
         (x-numeric (and x-cells (orgfig--numeric-column-p x-cells)))
         (kind (orgfig--choose-kind (if (and x-cells (not x-numeric)) 'bar 'line)))
         (ys (mapcar (lambda (n)
                       (orgfig--column-numbers
                        (nth (cl-position n names :test #'equal) cols) n))
                     (cdr choice))))
    (orgfig--view-new-figure
     (lambda (fig)
       (orgfig--draw fig kind
                     (and x-numeric (orgfig--column-numbers x-cells (car choice)))
                     ys
                     :names (cdr choice)
                     :xname (and xi (car choice))
                     :categories (and x-cells (not x-numeric) x-cells))))))

(defun orgfig--csv-sample (file)
  "Return the rows of strings in about the first 64 KiB of FILE.
A line cut by the limit is dropped.  The header line is included."
  (let ((limit 65536))
    (with-temp-buffer
      (insert-file-contents file nil 0 limit)
      (when (>= (buffer-size) limit)
        (goto-char (point-max))
        (when (search-backward "\n" nil t)
          (delete-region (point) (point-max))))
      (orgfig--split-delimited (buffer-string)))))

(defun orgfig--plot-csv-module (file)
  "Plot FILE, read with the module's `orgfig-read-csv'.
The module reads numbers and dates only (other text becomes NaN), so a
sample of the file read in Lisp tells text columns apart: a text x
column labels the rows (read in Lisp, for files up to
`orgfig-csv-lisp-max-bytes'), a text y column is an error.  An x column
of dates gives a time axis."
  (let* ((sample (orgfig--csv-sample file))
         (header (or (orgfig--header-row-p sample) (null (cdr sample))))
         (ds (orgfig-read-csv file :header header)))
    (when header (setq sample (cdr sample)))
    (unwind-protect
        (let* ((names (orgfig-column-names ds))
               (cells (lambda (name)
                        (let ((i (cl-position name names :test #'equal)))
                          (mapcar (lambda (row) (or (nth i row) "")) sample))))
               (choice (orgfig--choose-columns names))
               (xname (and (not (equal (car choice) "(index)")) (car choice)))
               (x-text (and xname sample
                            (not (orgfig--numeric-column-p (funcall cells xname)))
                            ;; Dates, read as seconds: a time axis.
                            (not (orgfig--time-column-p (orgfig-column ds xname)))))
               (kind (orgfig--choose-kind (if x-text 'bar 'line)))
               (categories
                (and x-text
                     (let ((xi (cl-position xname names :test #'equal)))
                       (mapcar (lambda (row) (nth xi row))
                               (let ((rows (orgfig--split-delimited-file file)))
                                 (if header (cdr rows) rows))))))
               (ys (mapcar (lambda (n)
                             (when (and sample
                                        (not (orgfig--numeric-column-p
                                              (funcall cells n))))
                               (user-error "Column %s of %s is not numeric"
                                           n (file-name-nondirectory file)))
                             (orgfig-column ds n))
                           (cdr choice))))
          (orgfig--view-new-figure
           (lambda (fig)
             (orgfig--draw fig kind (and xname (not x-text) (orgfig-column ds xname))
                           ys
                           :names (cdr choice)
                           :xname xname
                           :categories categories))))
      (orgfig-close ds))))

(defun orgfig--split-delimited-file (file)
  "Return the rows of strings of the whole CSV FILE, header included.
Refuse files larger than `orgfig-csv-lisp-max-bytes'."
  (let ((size (file-attribute-size (file-attributes file))))
    (when (and size (> size orgfig-csv-lisp-max-bytes))
      (user-error "%s is %s, too large to read text labels in Lisp \
\(see `orgfig-csv-lisp-max-bytes')" file (orgfig--human-bytes size))))
  (with-temp-buffer
    (insert-file-contents file)
    (orgfig--split-delimited (buffer-string))))

(defun orgfig--view-new-figure (draw)
  "Make a figure, call DRAW with it and view it with KEEP t.
The figure is closed if DRAW fails."
  (let ((fig (orgfig-figure)))
    (condition-case err
        (funcall draw fig)
      ((debug error) (orgfig-close fig) (signal (car err) (cdr err))))
    (orgfig-view fig t)))

;;;; The figure viewer

(defvar orgfig-view-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map "s" #'orgfig-view-save)
    (define-key map "q" #'orgfig-view-quit)
    (define-key map "g" #'orgfig-view-refresh)
    map)
  "Keymap of `orgfig-view-mode'.")

(define-derived-mode orgfig-view-mode special-mode "orgfig"
  "Major mode of buffers showing one orgfig figure.
\\<orgfig-view-mode-map>
\\[orgfig-view-save] saves the figure, \\[orgfig-view-refresh] renders it
again, \\[orgfig-view-quit] quits the window, kills the buffer and closes
the figure.  Killing the buffer also closes the figure and flushes
its image from the image cache.

\\{orgfig-view-mode-map}"
  (setq-local revert-buffer-function (lambda (&rest _) (orgfig-view-refresh)))
  (setq-local cursor-type nil)
  (add-hook 'kill-buffer-hook #'orgfig-view--cleanup nil t)
  (add-hook 'window-size-change-functions #'orgfig-view--size-changed nil t))

(defun orgfig-view--images-p ()
  "Return non-nil if this Emacs can show PNG images in the selected frame."
  (and (display-images-p) (image-type-available-p 'png)))

(defun orgfig-view--title (fig)
  "Return the name to give the viewer buffer of FIG."
  (let ((info (orgfig-figure-info fig)))
    (format "*orgfig: %s*"
            (let ((title (plist-get info :title)))
              (if (and title (not (string-empty-p title)))
                  title
                (format "figure %s" (plist-get info :id)))))))

(defun orgfig-view--flush ()
  "Flush the image of this viewer from the image cache."
  (when orgfig-view--image
    (image-flush orgfig-view--image t)
    (setq orgfig-view--image nil)))

(defun orgfig-view--insert (image)
  "Replace the viewer's contents by IMAGE or, if nil, a description."
  (let ((inhibit-read-only t))
    (erase-buffer)
    (if image
        (progn (insert-image image "[orgfig figure]")
               (insert "\n"))
      (let ((info orgfig-view--info))
        (insert (format "orgfig figure %s" (plist-get info :id))
                (if (plist-get info :title)
                    (format ": %s" (plist-get info :title))
                  "")
                "\n"
                (format "%dx%d pixels, %d artist%s, %s held\n"
                        (plist-get info :width) (plist-get info :height)
                        (or (plist-get info :artists) 0)
                        (if (eql (plist-get info :artists) 1) "" "s")
                        (orgfig--human-bytes (or (plist-get info :bytes) 0)))
                "\nImages need a graphical frame; press s to save the figure\n"
                "to a file, q to close it.\n")))
    (goto-char (point-min))))

(defun orgfig-view--render (&optional width)
  "Render the viewer's figure, at WIDTH pixels if non-nil, and show it."
  (let ((fig orgfig-view--figure))
    (cond
     ((and fig (orgfig-live-p fig))
      (when (and width orgfig-view--aspect)
        (orgfig-set fig :width width
                    :height (max 16 (round (* width orgfig-view--aspect)))))
      (setq orgfig-view--info (orgfig-figure-info fig))
      (let ((image (and (orgfig-view--images-p) (orgfig-image fig))))
        (orgfig-view--flush)
        (setq orgfig-view--image image
              orgfig-view--rendered-width (plist-get orgfig-view--info :width))
        (unless orgfig-view--keep
          ;; Keep only the bytes, for `s', and close the figure now.
          (setq orgfig-view--png (if image (plist-get (cdr image) :data)
                                   (orgfig-render fig)))
          (orgfig-close fig))
        (orgfig-view--insert image)))
     (orgfig-view--png
      (orgfig-view--flush)
      (let ((image (and (orgfig-view--images-p)
                        (create-image orgfig-view--png 'png t))))
        (setq orgfig-view--image image)
        (orgfig-view--insert image)))
     (t (user-error "The figure of this buffer is closed")))))

(defun orgfig-view--fit-width (window)
  "Return the pixel width a kept figure should have in WINDOW, or nil."
  (when (and (eq orgfig-view--keep t) (window-live-p window)
             (display-graphic-p (window-frame window)))
    (max 16 (- (window-body-width window t) 2))))

(defun orgfig-view--size-changed (window)
  "Schedule a re-render of WINDOW's viewer after its size changed."
  (let ((buffer (window-buffer window)))
    (with-current-buffer buffer
      (when (and (orgfig-view--fit-width window)
                 (not (eql (orgfig-view--fit-width window)
                           orgfig-view--rendered-width)))
        (when (timerp orgfig-view--timer) (cancel-timer orgfig-view--timer))
        (setq orgfig-view--timer
              (run-with-timer orgfig-view-resize-delay nil
                              #'orgfig-view--resize-now buffer))))))

(defun orgfig-view--resize-now (buffer)
  "Re-render the kept figure of viewer BUFFER at its window's width."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (setq orgfig-view--timer nil)
      (let* ((window (get-buffer-window buffer t))
             (width (and window (orgfig-view--fit-width window))))
        (when (and width (orgfig-live-p orgfig-view--figure)
                   (not (eql width orgfig-view--rendered-width)))
          (orgfig-view--render width))))))

(defun orgfig-view--cleanup ()
  "Close this viewer's figure (unless borrowed) and flush its image."
  (when (timerp orgfig-view--timer)
    (cancel-timer orgfig-view--timer)
    (setq orgfig-view--timer nil))
  (orgfig-view--flush)
  (when (and orgfig-view--figure (not (eq orgfig-view--keep 'borrow)))
    (orgfig-close orgfig-view--figure))
  (setq orgfig-view--png nil))

;;;###autoload
(defun orgfig-view (fig &optional keep)
  "Show the figure FIG in a buffer \"*orgfig: TITLE*\" and return the buffer.
The buffer is in `orgfig-view-mode' (\\<orgfig-view-mode-map>\\[orgfig-view-save] \
saves, \\[orgfig-view-refresh] re-renders,
\\[orgfig-view-quit] quits and closes the figure).

If KEEP is nil, FIG is rendered once and closed at once; saving
then writes that rendering (PNG only).  If KEEP is t, FIG stays
open while the buffer lives, is rendered at the window's width and
re-rendered, keeping its aspect ratio, whenever the window changes
size; it is closed when the buffer is killed.  If KEEP is the
symbol `borrow', FIG belongs to someone else: it is shown at its
own size and left open when the buffer goes away.

In a terminal, the buffer describes the figure in text instead."
  (unless (orgfig-live-p fig) (user-error "The figure is closed"))
  (let* ((name (orgfig-view--title fig))
         (buffer (let ((b (get-buffer name)))
                   (if (and b (not (eq (buffer-local-value 'orgfig-view--figure b)
                                       fig)))
                       (generate-new-buffer name)
                     (get-buffer-create name))))
         (info (orgfig-figure-info fig)))
    (with-current-buffer buffer
      (unless (derived-mode-p 'orgfig-view-mode) (orgfig-view-mode))
      (setq orgfig-view--figure fig
            orgfig-view--keep keep
            orgfig-view--aspect (/ (float (plist-get info :height))
                                   (plist-get info :width))))
    ;; Display first, so a kept figure is rendered once, at the width of
    ;; the window it gets.
    (let ((window (display-buffer buffer)))
      (with-current-buffer buffer
        (orgfig-view--render (and window (orgfig-view--fit-width window)))))
    (unless (orgfig-view--images-p)
      (message "orgfig: images need a graphical frame; showing a description"))
    buffer))

(defun orgfig-view-save (file)
  "Save the figure of this viewer to FILE (PNG, SVG or PDF by extension)."
  (interactive
   (list (read-file-name "Save figure to (default figure.png): " nil
                         (expand-file-name "figure.png") nil)))
  (setq file (expand-file-name file))
  (cond
   ((and orgfig-view--figure (orgfig-live-p orgfig-view--figure))
    (orgfig-save orgfig-view--figure file))
   (orgfig-view--png
    (unless (member (downcase (or (file-name-extension file) "")) '("png"))
      (user-error "Only PNG can be saved once the figure is closed; \
use a .png name"))
    (let ((coding-system-for-write 'binary)
          (png orgfig-view--png))
      (with-temp-file file
        (set-buffer-multibyte nil)
        (insert png))))
   (t (user-error "The figure of this buffer is closed")))
  (message "Wrote %s" file)
  file)

(defun orgfig-view-refresh ()
  "Render the figure of this viewer again."
  (interactive)
  (orgfig-view--render
   (let ((w (get-buffer-window (current-buffer) t)))
     (and w (orgfig-view--fit-width w)))))

(defun orgfig-view-quit ()
  "Quit the viewer window, kill its buffer and close its figure."
  (interactive)
  (quit-window t))

;;;; The figure list

(defvar orgfig-figure-list-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "RET") #'orgfig-figure-list-view)
    (define-key map "d" #'orgfig-figure-list-close)
    (define-key map "x" #'orgfig-figure-list-close)
    (define-key map "D" #'orgfig-figure-list-close-all)
    (define-key map "C" #'orgfig-figure-list-close-all)
    map)
  "Keymap of `orgfig-figure-list-mode'.")

(define-derived-mode orgfig-figure-list-mode tabulated-list-mode "orgfig figures"
  "Major mode listing open orgfig figures.
\\<orgfig-figure-list-mode-map>
\\[orgfig-figure-list-view] views the figure at point,
\\[orgfig-figure-list-close] closes it,
\\[orgfig-figure-list-close-all] closes all figures,
\\[revert-buffer] refreshes.

\\{orgfig-figure-list-mode-map}"
  (setq tabulated-list-format
        [("Id" 5 (lambda (a b) (< (string-to-number (aref (cadr a) 0))
                                  (string-to-number (aref (cadr b) 0))))
          :right-align t)
         ("Size" 11 nil :right-align t)
         ("Bytes" 9 nil :right-align t)
         ("Age" 5 nil :right-align t)
         ("Where" 30 t)
         ("Title" 20 t)])
  (setq tabulated-list-padding 1)
  (setq tabulated-list-sort-key nil)
  (setq tabulated-list-entries #'orgfig-figure-list--entries)
  (tabulated-list-init-header))

(defun orgfig-figure-list--entries ()
  "Return the `tabulated-list-entries' of open figures."
  (let ((now (float-time)))
    (cl-loop
     for fig in (orgfig-figures)
     for info = (orgfig-figure-info fig)
     collect
     (list fig
           (vector (format "%s" (plist-get info :id))
                   (format "%dx%d" (plist-get info :width) (plist-get info :height))
                   (orgfig--human-bytes (or (plist-get info :bytes) 0))
                   (orgfig--age-string (- now (or (plist-get info :created) now)))
                   (or (plist-get info :where) "-")
                   (or (plist-get info :title) ""))))))

(defun orgfig-figure-list--figure ()
  "Return the live figure on the current line, or signal a `user-error'."
  (let ((fig (tabulated-list-get-id)))
    (unless fig (user-error "No figure on this line"))
    (unless (orgfig-live-p fig)
      (revert-buffer)
      (user-error "That figure is closed"))
    fig))

;;;###autoload
(defun orgfig-list-figures ()
  "List open orgfig figures in the buffer \"*orgfig figures*\".
Columns: id, size in pixels, bytes held, age, where it was created
and title.  Keys: RET views, d or x closes the figure at point, D or
C closes all figures, g refreshes."
  (interactive)
  (let ((buffer (get-buffer-create "*orgfig figures*")))
    (with-current-buffer buffer
      (orgfig-figure-list-mode)
      (tabulated-list-print))
    (pop-to-buffer buffer)
    buffer))

(defun orgfig-figure-list-view ()
  "View the figure at point, leaving it open when the viewer is killed."
  (interactive)
  (orgfig-view (orgfig-figure-list--figure) 'borrow))

(defun orgfig-figure-list-close ()
  "Close the figure at point."
  (interactive)
  (let* ((fig (orgfig-figure-list--figure))
         (id (plist-get (orgfig-figure-info fig) :id)))
    (orgfig-close fig)
    (revert-buffer)
    (message "Closed figure %s" id)))

(defun orgfig-figure-list-close-all ()
  "Close all open figures after confirmation."
  (interactive)
  (let ((n (length (orgfig-figures))))
    (if (zerop n)
        (message "No open figures")
      (when (y-or-n-p (format "Close all %d open figure%s? " n (if (= n 1) "" "s")))
        (message "Closed %d figure%s" (orgfig-close-all) (if (= n 1) "" "s"))
        (revert-buffer)))))

;;;; Memory report

(defun orgfig--images-on-screen ()
  "Return the number of orgfig images shown in buffers.
Count overlays with a non-nil `orgfig' property in all buffers and
viewer buffers that show an image."
  (let ((n 0))
    (dolist (b (buffer-list))
      (with-current-buffer b
        (save-restriction
          (widen)
          (dolist (ov (overlays-in (point-min) (point-max)))
            (when (overlay-get ov 'orgfig) (setq n (1+ n)))))
        (when (and (derived-mode-p 'orgfig-view-mode) orgfig-view--image)
          (setq n (1+ n)))))
    n))

(defun orgfig--image-cache-string ()
  "Return the size of Emacs's image cache as a string, or \"n/a\"."
  (if (and (fboundp 'image-cache-size) (display-graphic-p))
      (let ((n (funcall #'image-cache-size)))
        (format "%d (%s)" n (orgfig--human-bytes n)))
    "n/a (needs Emacs 28 and a graphical frame)"))

;;;###autoload
(defun orgfig-memory-report ()
  "Show the memory use of orgfig in the buffer \"*orgfig memory*\".
Reported: bytes held by open figures and datasets, the peak, the
limit, the number of open figures and datasets (all from
`orgfig-memory'), the size of Emacs's image cache and the number of
orgfig images on screen; also the PNG bytes that orgfig's Org
integration keeps cached (`orgfig-cache-info')."
  (interactive)
  (let* ((mem (orgfig-memory))
         (bytes (or (plist-get mem :bytes) 0))
         (peak (or (plist-get mem :peak-bytes) 0))
         (limit (plist-get mem :limit))
         (buffer (get-buffer-create "*orgfig memory*")))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert "orgfig memory\n\n")
        (insert (format "Bytes held:        %d (%s)\n" bytes (orgfig--human-bytes bytes)))
        (insert (format "Peak bytes:        %d (%s)\n" peak (orgfig--human-bytes peak)))
        (insert (format "Limit:             %s\n"
                        (if limit (format "%d (%s)" limit (orgfig--human-bytes limit))
                          "none")))
        (insert (format "Open figures:      %d\n" (or (plist-get mem :figures) 0)))
        (insert (format "Open datasets:     %d\n" (or (plist-get mem :datasets) 0)))
        (when (fboundp 'orgfig-cache-info)
          (let* ((c (orgfig-cache-info))
                 (cb (or (plist-get c :bytes) 0)))
            (insert (format "Org figure cache:  %d figure%s, %d (%s)\n"
                            (or (plist-get c :entries) 0)
                            (if (eql (plist-get c :entries) 1) "" "s")
                            cb (orgfig--human-bytes cb)))))
        (insert (format "Image cache:       %s\n" (orgfig--image-cache-string)))
        (insert (format "Images on screen:  %d\n" (orgfig--images-on-screen)))
        (insert "\nM-x orgfig-list-figures lists the open figures.\n"))
      (special-mode)
      (goto-char (point-min)))
    (display-buffer buffer)
    buffer))

(provide 'orgfig-commands)

;;; orgfig-commands.el ends here
