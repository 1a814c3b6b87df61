;;; test-orgfig-commands.el --- Tests of orgfig's interactive commands -*- lexical-binding: t -*-

;;; Commentary:

;; Batch ERT tests of lisp/orgfig-commands.el: the #+PLOT parser (and
;; that it never evaluates buffer text), `orgfig-plot-table',
;; `orgfig-plot-region', `orgfig-plot-csv-file', the figure list, the
;; memory report and the viewer.  Prompts are stubbed with `cl-letf'.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'subr-x)
(require 'org)
(require 'org-table)
(require 'orgfig)
(require 'orgfig-test-lib)

(require 'orgfig-commands)

(defvar orgfig-test-data-dir
  (expand-file-name "../data/"
                    (file-name-directory (or load-file-name buffer-file-name)))
  "Directory of the test fixture files.")

;;;; Helpers

(defmacro orgfig-test-with-messages (var &rest body)
  "Run BODY, collecting its messages into VAR (newest last)."
  (declare (indent 1))
  `(let ((,var nil))
     (cl-letf* ((orig (symbol-function 'message))
                ((symbol-function 'message)
                 (lambda (fmt &rest args)
                   (when fmt
                     (setq ,var (append ,var (list (apply #'format-message fmt args)))))
                   (apply orig fmt args))))
       ,@body)))

(defun orgfig-test-figure-count ()
  "Return the number of open figures."
  (plist-get (orgfig-memory) :figures))

(defun orgfig-test-file-bytes (file)
  "Return the contents of FILE as a unibyte string."
  (with-temp-buffer
    (set-buffer-multibyte nil)
    (insert-file-contents-literally file)
    (buffer-string)))

(defun orgfig-test-orgfig-overlays ()
  "Return the overlays with an `orgfig' property in the current buffer."
  (cl-remove-if-not (lambda (ov) (overlay-get ov 'orgfig))
                    (overlays-in (point-min) (point-max))))

(defun orgfig-test-overlay-image (ov)
  "Return the image displayed by the orgfig overlay OV."
  (or (let ((d (overlay-get ov 'display))) (and (eq (car-safe d) 'image) d))
      (let ((s (overlay-get ov 'after-string)) (found nil))
        (when s
          (dotimes (i (length s))
            (let ((d (get-text-property i 'display s)))
              (when (and (not found) (eq (car-safe d) 'image))
                (setq found d)))))
        found)))

(defmacro orgfig-test-with-org (text &rest body)
  "Run BODY in an Org buffer holding TEXT, point at its start."
  (declare (indent 1))
  `(with-temp-buffer
     (org-mode)
     (insert ,text)
     (goto-char (point-min))
     (set-buffer-modified-p nil)
     (unwind-protect (progn ,@body)
       (orgfig-remove-images))))

(defmacro orgfig-test-cleanup-viewers (&rest body)
  "Run BODY, then kill the orgfig buffers that BODY created."
  (declare (indent 0))
  `(let ((before (buffer-list)))
     (unwind-protect (progn ,@body)
       (dolist (b (buffer-list))
         (unless (memq b before)
           (when (string-prefix-p "*orgfig" (buffer-name b))
             (kill-buffer b)))))))

;;;; #+PLOT parsing

(ert-deftest orgfig-commands/parse-plot-forms ()
  "Strings (with escapes), numbers, lists and bare words parse as written."
  (let ((p (orgfig-parse-plot-options
            (concat "title:\"Sales \\\"Q1\\\"\" ind:1 deps:(2 3) type:2d "
                    "with:lines file:\"out dir/out.png\" labels:(\"a b\" \"c\" 4) "
                    "min:-1.5e2 xmax:.5 junk"))))
    (should (equal (mapcar #'car p)
                   '("title" "ind" "deps" "type" "with" "file" "labels" "min" "xmax")))
    (should (equal (nth 1 (assoc "title" p)) "Sales \"Q1\""))
    (should (eql (nth 1 (assoc "ind" p)) 1))
    (should (equal (nth 1 (assoc "deps" p)) '(2 3)))
    (should (equal (nth 1 (assoc "type" p)) "2d"))
    (should (equal (nth 1 (assoc "with" p)) "lines"))
    (should (equal (nth 1 (assoc "file" p)) "out dir/out.png"))
    (should (equal (nth 1 (assoc "labels" p)) '("a b" "c" 4)))
    (should (= (nth 1 (assoc "min" p)) -150.0))
    (should (= (nth 1 (assoc "xmax" p)) 0.5))
    ;; The raw text is kept too.
    (should (equal (nth 2 (assoc "deps" p)) "(2 3)"))))

(ert-deftest orgfig-commands/parse-plot-normalize ()
  "Options become typed values; the first occurrence wins; bad values fail."
  (let ((o (orgfig--plot-normalize-options
            (orgfig-parse-plot-options
             "ind:2 deps:3 labels:\"one\" ymin:1 max:9 trans:yes ind:5"))))
    (should (eql (plist-get o :ind) 2))
    (should (equal (plist-get o :deps) '(3)))
    (should (equal (plist-get o :labels) '("one")))
    (should (equal (plist-get o :ymin) 1.0))
    (should (equal (plist-get o :ymax) 9.0))
    (should (eq (plist-get o :transpose) t))
    (should (null (plist-get o :ignored))))
  (should-error (orgfig--plot-normalize-options
                 (orgfig-parse-plot-options "ind:x"))
                :type 'user-error)
  (should-error (orgfig--plot-normalize-options
                 (orgfig-parse-plot-options "deps:(1 \"a\")"))
                :type 'user-error)
  (should-error (orgfig-parse-plot-options "title:\"open") :type 'user-error)
  (should-error (orgfig-parse-plot-options "deps:(1 2") :type 'user-error)
  (should-error (orgfig-parse-plot-options "deps:(1 (2))") :type 'user-error))

(ert-deftest orgfig-commands/parse-plot-never-evaluates ()
  "Lisp-looking option values are data: nothing runs, titles stay literal."
  (let* ((pwned (make-temp-name (expand-file-name "orgfig-pwned-"
                                                  temporary-file-directory)))
         (touch (format "(shell-command \"touch %s\")" pwned))
         parsed)
    (should-not (file-exists-p pwned))
    ;; A title that looks like a call is parsed as data and kept literally.
    (setq parsed (orgfig-parse-plot-options (concat "title:" touch)))
    (should (equal (nth 1 (assoc "title" parsed))
                   (list "shell-command" (format "touch %s" pwned))))
    (should (equal (plist-get (orgfig--plot-normalize-options parsed) :title)
                   touch))
    ;; Read-time evaluation syntax is just a word.
    (should (equal (orgfig-parse-plot-options "labels:(#.pwn \"b\") file:#.x")
                   '(("labels" ("#.pwn" "b") "(#.pwn \"b\")")
                     ("file" "#.x" "#.x"))))
    (should-error (orgfig-parse-plot-options (format "labels:(#.%s)" touch))
                  :type 'user-error)
    ;; Nested forms are refused, and a form where a number belongs too.
    (should-error (orgfig-parse-plot-options (format "deps:(2 %s)" touch))
                  :type 'user-error)
    (should-error (orgfig--plot-normalize-options
                   (orgfig-parse-plot-options (concat "ind:" touch)))
                  :type 'user-error)
    (should-not (file-exists-p pwned))
    ;; And through the command, with a real table.
    (orgfig-test-with-org
        (format "#+PLOT: title:%s file:%s.png\n| 1 | 2 |\n| 2 | 3 |\n" touch pwned)
      (forward-line 1)
      (orgfig-plot-table)
      (should-not (file-exists-p pwned))
      (should (file-exists-p (concat pwned ".png")))
      (delete-file (concat pwned ".png")))))

(ert-deftest orgfig-commands/ignored-options-one-message ()
  "Gnuplot-only options are named in exactly one message."
  (orgfig-test-with-org
      (concat "#+PLOT: set:\"xrange [0:5]\" script:\"x.gp\" line:\"a\"\n"
              "#+PLOT: timefmt:\"%Y\" bogus:1 title:\"T\"\n"
              "| x | y |\n|---+---|\n| 1 | 2 |\n| 2 | 5 |\n")
    (forward-line 2)
    (orgfig-test-with-messages msgs
      (orgfig-plot-table)
      (let ((ignored (cl-remove-if-not (lambda (m) (string-match-p "ignored" m))
                                       msgs)))
        (should (= (length ignored) 1))
        (dolist (name '("set" "script" "line" "timefmt" "bogus"))
          (should (string-match-p (concat "\\_<" name "\\_>") (car ignored))))
        (should-not (string-match-p "title" (car ignored)))))))

;;;; orgfig-plot-table

(ert-deftest orgfig-commands/plot-table-not-in-table ()
  "Outside a table the command refuses with a clear message."
  (orgfig-test-with-org "Just text\n"
    (should (equal (cadr (should-error (orgfig-plot-table) :type 'user-error))
                   "Not in an org table"))))

(ert-deftest orgfig-commands/plot-table-from-plot-line ()
  "On a #+PLOT line the table below is plotted."
  (orgfig-test-with-org "#+PLOT: with:points\n#+NAME: t\n| 1 | 2 |\n| 2 | 3 |\nEnd\n"
    (orgfig-plot-table)
    (should (= (length (orgfig-test-orgfig-overlays)) 1))
    (should (= (point) (point-min))))
  (orgfig-test-with-org "#+PLOT: with:points\nText\n| 1 | 2 |\n"
    (should-error (orgfig-plot-table) :type 'user-error)))

(ert-deftest orgfig-commands/plot-table-file-writes-png ()
  "With file: the figure is written as a PNG of the default size."
  (let* ((dir (make-temp-file "orgfig-test-" t))
         (out (expand-file-name "sales.png" dir))
         (before (orgfig-test-figure-count)))
    (unwind-protect
        (orgfig-test-with-org
            (concat "#+PLOT: title:\"Sales\" ind:1 deps:(2 3) with:lines file:\"sales.png\"\n"
                    "| month | a | b |\n|-------+---+---|\n| 1 | 2 | 3 |\n| 2 | 4 | 1 |\n"
                    "| 3 | 5 | 2 |\n")
          (setq default-directory (file-name-as-directory dir))
          (forward-line 3)
          (orgfig-test-with-messages msgs
            (should (equal (orgfig-plot-table) out))
            (should (member (format "Wrote %s" out) msgs)))
          (should (file-exists-p out))
          (let ((bytes (orgfig-test-file-bytes out)))
            (should (string-prefix-p "\x89PNG\r\n\x1a\n" bytes))
            (should (equal (orgfig-test-png-size bytes)
                           (cons (round (* orgfig-default-width orgfig-default-scale))
                                 (round (* orgfig-default-height orgfig-default-scale))))))
          ;; No link or text was added, no image shown.
          (should-not (buffer-modified-p))
          (should-not (orgfig-test-orgfig-overlays))
          (should (= (orgfig-test-figure-count) before)))
      (delete-directory dir t))))

(ert-deftest orgfig-commands/plot-table-svg-file ()
  "The file format follows the extension."
  (let* ((dir (make-temp-file "orgfig-test-" t))
         (out (expand-file-name "t.svg" dir)))
    (unwind-protect
        (orgfig-test-with-org
            (format "#+PLOT: file:\"%s\"\n| 1 | 2 |\n| 2 | 3 |\n" out)
          (forward-line 1)
          (orgfig-plot-table)
          (should (string-match-p "<svg" (orgfig-test-file-bytes out))))
      (delete-directory dir t))))

(ert-deftest orgfig-commands/plot-table-overlay ()
  "Without file: an orgfig overlay shows a PNG under the table; rerun replaces it."
  (let ((before (orgfig-test-figure-count)))
    (orgfig-test-with-org
        "Intro\n| x | y |\n|---+---|\n| 1 | 2 |\n| 2 | 4 |\n| 3 | 9 |\nAfter\n"
      (forward-line 3)
      (let ((table-end (save-excursion (org-table-end))))
        (orgfig-plot-table)
        (let ((ovs (orgfig-test-orgfig-overlays)))
          (should (= (length ovs) 1))
          ;; At (the end of) the table's last line, not inside the table.
          (should (>= (overlay-start (car ovs)) (1- table-end)))
          (should (<= (overlay-start (car ovs)) table-end))
          (let ((img (orgfig-test-overlay-image (car ovs))))
            (should img)
            (should (eq (image-property img :type) 'png))
            (should (orgfig-test-png-p (image-property img :data)))))
        (should-not (buffer-modified-p))
        (should (= (orgfig-test-figure-count) before))
        ;; Plot again: still one overlay, with a new image.
        (let ((old (orgfig-test-overlay-image (car (orgfig-test-orgfig-overlays)))))
          (orgfig-plot-table)
          (let ((ovs (orgfig-test-orgfig-overlays)))
            (should (= (length ovs) 1))
            (should-not (eq (orgfig-test-overlay-image (car ovs)) old))))
        (should (= (orgfig-test-figure-count) before))
        (should-not (buffer-modified-p))
        ;; After an edit above the table, plotting still replaces the image.
        (goto-char (point-min))
        (insert "More text\n")
        (forward-line 3)
        (orgfig-plot-table)
        (should (= (length (orgfig-test-orgfig-overlays)) 1))))))

(ert-deftest orgfig-commands/table-spec ()
  "Headers name series and the x axis; text x columns become bar categories."
  (let ((s (orgfig--table-plot-spec
            '(("year" "sales" "cost") hline ("2020" "1" "2") ("2021" "3" "") ("2022" "5" "4"))
            nil nil)))
    (should (eq (plist-get s :kind) 'line))
    (should (equal (plist-get s :x) [2020.0 2021.0 2022.0]))
    (should (equal (plist-get s :names) '("sales" "cost")))
    (should (equal (plist-get s :xname) "year"))
    (should (equal (car (plist-get s :ys)) [1.0 3.0 5.0]))
    ;; Blank cells are NaN (gaps).
    (should (isnan (aref (cadr (plist-get s :ys)) 1))))
  ;; Text first column: categories, bar chart.
  (let ((s (orgfig--table-plot-spec '(("apples" "3") ("pears" "5")) nil nil)))
    (should (eq (plist-get s :kind) 'bar))
    (should (equal (plist-get s :categories) '("apples" "pears")))
    (should (equal (plist-get s :ys) '([3.0 5.0]))))
  ;; As in org-plot, a #+PLOT line without ind plots every column by row.
  (let ((s (orgfig--table-plot-spec '(("1" "2") ("2" "3")) '(:with "points") t)))
    (should (eq (plist-get s :kind) 'scatter))
    (should (null (plist-get s :x)))
    (should (= (length (plist-get s :ys)) 2)))
  ;; ind, deps and labels; labels for exactly the plotted series.
  (let ((s (orgfig--table-plot-spec '(("a" "b" "c" "d") hline ("1" "2" "3" "4"))
                                    '(:ind 2 :deps (4 1) :labels ("D" "A")
                                           :with "linespoints")
                                    t)))
    (should (eq (plist-get s :kind) 'linespoints))
    (should (equal (plist-get s :x) [2.0]))
    (should (equal (plist-get s :ys) '([4.0] [1.0])))
    (should (equal (plist-get s :names) '("D" "A")))
    (should (equal (plist-get s :xname) "b")))
  ;; with: mappings.
  (dolist (c '(("histograms" . bar) ("boxes" . bar) ("impulses" . bar)
               ("lines" . line) ("points" . scatter)))
    (should (eq (orgfig--kind-from-options (list :with (car c))) (cdr c))))
  (should (eq (orgfig--kind-from-options '(:type "hist")) 'hist))
  (should (eq (orgfig--kind-from-options '(:type "grid")) 'heatmap))
  (should-error (orgfig--kind-from-options '(:type "radar")) :type 'user-error)
  ;; Errors.
  (should-error (orgfig--table-plot-spec '(("1" "x") ("2" "y")) '(:ind 1) t)
                :type 'user-error)
  (should-error (orgfig--table-plot-spec '(("1" "2")) '(:ind 5) t)
                :type 'user-error))

(ert-deftest orgfig-commands/plot-table-kinds ()
  "Each kind renders from a table without error and closes its figure."
  (let ((before (orgfig-test-figure-count)))
    (dolist (kind '("line" "linespoints" "scatter" "bar" "hist" "area" "box"
                    "pie" "heatmap"))
      (orgfig-test-with-org
          (format "#+PLOT: type:%s ind:1\n| k | a | b |\n|---+---+---|\n| 1 | 2 | 3 |\n| 2 | 4 | 1 |\n| 3 | 1 | 2 |\n"
                  kind)
        (forward-line 2)
        (orgfig-plot-table)
        (should (= (length (orgfig-test-orgfig-overlays)) 1))))
    ;; Text categories as bars.
    (orgfig-test-with-org "| fruit | n |\n|---+---|\n| apple | 3 |\n| pear | 5 |\n"
      (orgfig-plot-table)
      (should (= (length (orgfig-test-orgfig-overlays)) 1)))
    (should (= (orgfig-test-figure-count) before))))

(ert-deftest orgfig-commands/plot-table-and-region-dates ()
  "A date column is x on a time axis: a line, not bars of categories."
  (let* ((text "| day | kg |\n|---+---|\n| <2026-11-01 Sun> | 80.1 |\n| 2026-11-03 | 79.8 |\n")
         (want (vector (float-time (encode-time '(0 0 0 1 11 2026 nil nil t)))
                       (float-time (encode-time '(0 0 0 3 11 2026 nil nil t))))))
    (orgfig-test-with-org text
      (let ((spec (orgfig--table-plot-spec (org-table-to-lisp) nil nil)))
        (should (eq (plist-get spec :kind) 'line))
        (should-not (plist-get spec :categories))
        (should (plist-get (orgfig-column-info (plist-get spec :x)) :time))
        (should (equal (orgfig-column-values (plist-get spec :x)) want))))
    ;; Asked for bars, the dates label them.
    (orgfig-test-with-org (concat "#+PLOT: with:histograms\n" text)
      (forward-line 1)
      (let ((spec (orgfig--table-plot-spec (org-table-to-lisp)
                                           '(:with "histograms") t)))
        (should (eq (plist-get spec :kind) 'bar))
        (should (equal (plist-get spec :categories) '("<2026-11-01 Sun>" "2026-11-03")))))
    (let ((spec (orgfig--region-plot-spec "day,kg\n2026-11-01,80.1\n2026-11-03,79.8\n")))
      (should (eq (plist-get spec :kind) 'line))
      (should (equal (orgfig-column-values (plist-get spec :x)) want)))
    ;; Text that is not all dates still names bars.
    (let ((spec (orgfig--region-plot-spec "day,kg\n2026-11-01,80.1\nlater,79.8\n")))
      (should (eq (plist-get spec :kind) 'bar)))
    (orgfig-test-with-org text
      (orgfig-plot-table)
      (should (= (length (orgfig-test-orgfig-overlays)) 1)))))

;;;; orgfig-plot-region

(defun orgfig-test-region-plot (text)
  "Plot TEXT as a region; return the viewer buffer."
  (with-temp-buffer
    (insert text)
    (orgfig-plot-region (point-min) (point-max))))

(ert-deftest orgfig-commands/plot-region-numbers ()
  "Blank-separated numbers make one series in a viewer that keeps the figure."
  (orgfig-test-cleanup-viewers
    (let* ((buf (orgfig-test-region-plot "1 2 3\n 4.5\t-1e1\n"))
           (fig (buffer-local-value 'orgfig-view--figure buf)))
      (should (buffer-live-p buf))
      (should (eq (buffer-local-value 'major-mode buf) 'orgfig-view-mode))
      (should (orgfig-live-p fig))
      (should (= (plist-get (orgfig-figure-info fig) :artists) 1))
      (should (string-match-p "(region)" (plist-get (orgfig-figure-info fig) :where)))
      (kill-buffer buf)
      (should-not (orgfig-live-p fig))))
  (let ((s (orgfig--region-plot-spec "1 2 3\n 4.5\t-1e1\n")))
    (should (equal (plist-get s :ys) '([1.0 2.0 3.0 4.5 -10.0]))))
  ;; The same number of tabs on every line is TSV.
  (let ((s (orgfig--region-plot-spec "1\t2\n3\t4\n")))
    (should (equal (plist-get s :x) [1.0 3.0]))
    (should (equal (plist-get s :ys) '([2.0 4.0])))))

(ert-deftest orgfig-commands/plot-region-csv ()
  "CSV with a header: first column x, the others named series."
  (let ((s (orgfig--region-plot-spec "t,up,down\n0,1,5\n1,2,4\n2,3,3\n")))
    (should (equal (plist-get s :x) [0.0 1.0 2.0]))
    (should (equal (plist-get s :ys) '([1.0 2.0 3.0] [5.0 4.0 3.0])))
    (should (equal (plist-get s :names) '("up" "down")))
    (should (equal (plist-get s :xname) "t")))
  ;; Without a header, with quotes, and TSV with text labels.
  (let ((s (orgfig--region-plot-spec "0,\"1\"\n1,2\n")))
    (should (equal (plist-get s :x) [0.0 1.0]))
    (should (equal (plist-get s :names) '(nil))))
  (let ((s (orgfig--region-plot-spec "name\tn\n\"a, b\"\t1\nc\t2\n")))
    (should (eq (plist-get s :kind) 'bar))
    (should (equal (plist-get s :categories) '("a, b" "c"))))
  (orgfig-test-cleanup-viewers
    (let* ((buf (orgfig-test-region-plot "t,up,down\n0,1,5\n1,2,4\n2,3,3\n"))
           (fig (buffer-local-value 'orgfig-view--figure buf)))
      (should (= (plist-get (orgfig-figure-info fig) :artists) 2)))))

(ert-deftest orgfig-commands/plot-region-errors ()
  "Empty and non-numeric regions give clear errors and leave no figure."
  (let ((before (orgfig-test-figure-count)))
    (should (string-match-p "empty"
                            (cadr (should-error (orgfig-test-region-plot "  \n ")
                                                :type 'user-error))))
    (should (string-match-p "not numeric.*\"abc\""
                            (cadr (should-error (orgfig-test-region-plot "1 2 abc 4")
                                                :type 'user-error))))
    (should (string-match-p "column.*not numeric"
                            (cadr (should-error (orgfig-test-region-plot "x,y\n1,2\n2,zz\n")
                                                :type 'user-error))))
    (should (= (orgfig-test-figure-count) before))))

(ert-deftest orgfig-commands/plot-region-module-path ()
  "Large regions go through the module's reader with the same results."
  (skip-unless (fboundp 'orgfig-read-csv))
  (let ((orgfig-region-module-bytes 0)
        (before (orgfig-test-figure-count)))
    (orgfig-test-cleanup-viewers
      (let* ((buf (orgfig-test-region-plot "1 2\t3\n\n 4.5  -1e1\n"))
             (fig (buffer-local-value 'orgfig-view--figure buf)))
        (should (= (plist-get (orgfig-figure-info fig) :artists) 1)))
      (let* ((buf (orgfig-test-region-plot "t,up,down\n0,1,5\n1,2,4\n2,3,3\n"))
             (fig (buffer-local-value 'orgfig-view--figure buf)))
        (should (= (plist-get (orgfig-figure-info fig) :artists) 2)))
      ;; A text first column falls back to the Lisp reader: bars.
      (let* ((buf (orgfig-test-region-plot "name,n\na,1\nb,2\n"))
             (fig (buffer-local-value 'orgfig-view--figure buf)))
        (should (= (plist-get (orgfig-figure-info fig) :artists) 1)))
      ;; Dates do not: C reads them.
      (cl-letf (((symbol-function 'orgfig--region-plot-spec)
                 (lambda (&rest _) (error "The Lisp reader was used"))))
        (let* ((buf (orgfig-test-region-plot "day,kg\n2026-11-01,80\n2026-11-03,79\n"))
               (fig (buffer-local-value 'orgfig-view--figure buf)))
          (should (= (plist-get (orgfig-figure-info fig) :artists) 1)))))
    (should (string-match-p "not numeric.*\"x7\""
                            (cadr (should-error (orgfig-test-region-plot "1 2 x7 4")
                                                :type 'user-error))))
    (should-error (orgfig-test-region-plot "x,y\n1,2\n2,zz\n") :type 'user-error)
    (should (= (orgfig-test-figure-count) before))
    ;; No temporary file is left behind.
    (should-not (directory-files temporary-file-directory nil
                                 "\\`orgfig-region-.*\\.csv\\'"))))

;;;; orgfig-plot-csv-file

(ert-deftest orgfig-commands/plot-csv-file ()
  "The prompts pick columns and kind; the viewer shows the figure."
  (let ((file (expand-file-name "commands-small.csv" orgfig-test-data-dir))
        (asked nil))
    (orgfig-test-cleanup-viewers
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (prompt _coll &rest args)
                   (push prompt asked)
                   ;; Accept the default.
                   (let ((def (nth 4 args))) (if (consp def) (car def) def))))
                ((symbol-function 'completing-read-multiple)
                 (lambda (prompt _coll &rest _)
                   (push prompt asked)
                   '("sales"))))
        (let* ((buf (orgfig-plot-csv-file file))
               (fig (buffer-local-value 'orgfig-view--figure buf)))
          (should (orgfig-live-p fig))
          (should (= (plist-get (orgfig-figure-info fig) :artists) 1))
          (should (cl-some (lambda (p) (string-match-p "X column (default month)" p))
                           asked))
          (should (cl-some (lambda (p) (string-match-p "Plot type" p)) asked)))))))

(defmacro orgfig-test-with-default-answers (prompts &rest body)
  "Run BODY answering every completion prompt with its default.
The prompts asked are pushed onto the list variable PROMPTS."
  (declare (indent 1))
  `(cl-letf (((symbol-function 'completing-read)
              (lambda (prompt _coll &rest args)
                (push prompt ,prompts)
                (let ((def (nth 4 args))) (if (consp def) (car def) def))))
             ((symbol-function 'completing-read-multiple)
              (lambda (prompt _coll &rest args)
                (push prompt ,prompts)
                (split-string (nth 4 args) "," t))))
     ,@body))

(ert-deftest orgfig-commands/plot-csv-file-text-and-headerless ()
  "A text first column gives grouped bars; a file without header is read too."
  (skip-unless (fboundp 'orgfig-read-csv))
  (orgfig-test-cleanup-viewers
    (let ((asked nil))
      (orgfig-test-with-default-answers asked
        (let* ((buf (orgfig-plot-csv-file
                     (expand-file-name "commands-fruit.csv" orgfig-test-data-dir)))
               (fig (buffer-local-value 'orgfig-view--figure buf)))
          (should (= (plist-get (orgfig-figure-info fig) :artists) 2))
          (should (member "Plot type (default bar): " asked))
          (should (cl-some (lambda (p) (string-match-p "default count,price" p))
                           asked))))
      (setq asked nil)
      (orgfig-test-with-default-answers asked
        (let* ((buf (orgfig-plot-csv-file
                     (expand-file-name "commands-noheader.tsv" orgfig-test-data-dir)))
               (fig (buffer-local-value 'orgfig-view--figure buf)))
          (should (= (plist-get (orgfig-figure-info fig) :artists) 2))
          (should (member "Plot type (default line): " asked))
          (should (member "X column (default 1): " asked))))))
  ;; A text y column is refused before anything is drawn.
  (let ((before (orgfig-test-figure-count)))
    (cl-letf (((symbol-function 'completing-read) (lambda (&rest _) "count"))
              ((symbol-function 'completing-read-multiple)
               (lambda (&rest _) '("fruit"))))
      (should-error (orgfig-plot-csv-file
                     (expand-file-name "commands-fruit.csv" orgfig-test-data-dir))
                    :type 'user-error))
    (should (= (orgfig-test-figure-count) before))))

(ert-deftest orgfig-commands/plot-csv-file-dates ()
  "An x column of dates gives a line on a time axis, not text bars.
The dates are read in C, so the Lisp size limit for text labels does
not apply."
  (skip-unless (fboundp 'orgfig-read-csv))
  (let ((file (make-temp-file "orgfig-dates" nil ".csv"))
        (orgfig-csv-lisp-max-bytes 100)
        (asked nil))
    (unwind-protect
        (orgfig-test-cleanup-viewers
          (with-temp-file file
            (insert "when,load\n")
            (dotimes (i 500)
              (insert (format "2026-11-%02d %02d:00,%d\n" (1+ (/ i 24)) (% i 24) i))))
          (orgfig-test-with-default-answers asked
            (let* ((buf (orgfig-plot-csv-file file))
                   (fig (buffer-local-value 'orgfig-view--figure buf)))
              (should (member "Plot type (default line): " asked))
              (should (= (plist-get (orgfig-figure-info fig) :artists) 1))
              (should (orgfig-test-png-p (orgfig-render fig))))))
      (delete-file file))))

(ert-deftest orgfig-commands/plot-csv-lisp-fallback ()
  "The Lisp reader gives the same plots for small files."
  (orgfig-test-cleanup-viewers
    (let ((asked nil))
      (orgfig-test-with-default-answers asked
        (let* ((buf (orgfig--plot-csv-lisp
                     (expand-file-name "commands-fruit.csv" orgfig-test-data-dir)))
               (fig (buffer-local-value 'orgfig-view--figure buf)))
          (should (= (plist-get (orgfig-figure-info fig) :artists) 2))
          (should (member "Plot type (default bar): " asked))))
      (orgfig-test-with-default-answers asked
        (let* ((buf (orgfig--plot-csv-lisp
                     (expand-file-name "commands-noheader.tsv" orgfig-test-data-dir)))
               (fig (buffer-local-value 'orgfig-view--figure buf)))
          (should (= (plist-get (orgfig-figure-info fig) :artists) 2))))
      (let ((orgfig-csv-lisp-max-bytes 10))
        (should-error (orgfig--plot-csv-lisp
                       (expand-file-name "commands-fruit.csv" orgfig-test-data-dir))
                      :type 'user-error)))))

(ert-deftest orgfig-commands/human-bytes ()
  "Byte counts read as B, KiB, MiB."
  (should (equal (orgfig--human-bytes 944) "944 B"))
  (should (equal (orgfig--human-bytes 1536) "1.5KiB"))
  (should (equal (orgfig--human-bytes (* 3 1024 1024)) "3MiB")))

;;;; The figure list

(defun orgfig-test-list-ids ()
  "Return the figures listed in the current tabulated list."
  (mapcar #'car (funcall tabulated-list-entries)))

(ert-deftest orgfig-commands/list-figures ()
  "The list shows open figures; d closes one, g refreshes, D closes all."
  (let* ((a (orgfig-figure :title "first" :width 200 :height 100))
         (b (let ((orgfig-creation-context "here.org:3")) (orgfig-figure)))
         (buf (orgfig-list-figures)))
    (unwind-protect
        (with-current-buffer buf
          (should (eq major-mode 'orgfig-figure-list-mode))
          (should (equal (buffer-name) "*orgfig figures*"))
          (should (equal (orgfig-test-list-ids) (orgfig-figures)))
          (should (memq a (orgfig-test-list-ids)))
          (let ((text (buffer-string)))
            (should (string-match-p "200x100" text))
            (should (string-match-p "here.org:3" text))
            (should (string-match-p "first" text))
            (should (string-match-p (format "\\_<%d\\_>"
                                            (plist-get (orgfig-figure-info a) :id))
                                    text)))
          ;; d on a's line closes a only.
          (goto-char (point-min))
          (while (not (eq (tabulated-list-get-id) a)) (forward-line 1))
          (execute-kbd-macro "d")
          (should-not (orgfig-live-p a))
          (should (orgfig-live-p b))
          (should-not (memq a (orgfig-test-list-ids)))
          (goto-char (point-min))
          (should-not (cl-loop until (eobp) thereis (eq (tabulated-list-get-id) a)
                               do (forward-line 1)))
          ;; g after an outside change.
          (let ((c (orgfig-figure)))
            (revert-buffer)
            (goto-char (point-min))
            (should (cl-loop until (eobp)
                             thereis (eq (tabulated-list-get-id) c)
                             do (forward-line 1)))
            ;; D, answering yes.
            (cl-letf (((symbol-function 'y-or-n-p) (lambda (&rest _) t)))
              (execute-kbd-macro "D"))
            (should-not (orgfig-live-p b))
            (should-not (orgfig-live-p c))
            (should (null (orgfig-figures)))
            (goto-char (point-min))
            (should-not (tabulated-list-get-id))))
      (kill-buffer buf)
      (orgfig-close a) (orgfig-close b))))

(ert-deftest orgfig-commands/list-figures-age ()
  "Ages read as seconds, minutes, hours and days."
  (should (equal (orgfig--age-string 12.7) "12s"))
  (should (equal (orgfig--age-string 185) "3m"))
  (should (equal (orgfig--age-string 7300) "2h"))
  (should (equal (orgfig--age-string 200000) "2d")))

;;;; Memory report

(ert-deftest orgfig-commands/memory-report ()
  "The report shows the numbers of `orgfig-memory'."
  (let ((fig (orgfig-figure))
        ;; No collection (and so no finalizer) between the two reads.
        (gc-cons-threshold most-positive-fixnum))
    (garbage-collect)
    (unwind-protect
        (let* ((mem (orgfig-memory))
               (buf (orgfig-memory-report))
               (text (with-current-buffer buf (buffer-string))))
          (should (string-match-p (format "Bytes held: +%d " (plist-get mem :bytes))
                                  text))
          (should (string-match-p (format "Peak bytes: +%d " (plist-get mem :peak-bytes))
                                  text))
          (should (string-match-p (format "Open figures: +%d$" (plist-get mem :figures))
                                  text))
          (should (string-match-p (format "Open datasets: +%d$"
                                          (or (plist-get mem :datasets) 0))
                                  text))
          (should (string-match-p "Image cache: +n/a" text))
          (when (fboundp 'orgfig-cache-info)
            (should (string-match-p
                     (format "Org figure cache: +%d figures?, %d "
                             (plist-get (orgfig-cache-info) :entries)
                             (plist-get (orgfig-cache-info) :bytes))
                     text)))
          (should (string-match-p "Images on screen: +[0-9]+" text))
          (kill-buffer buf))
      (orgfig-close fig))))

(ert-deftest orgfig-commands/images-on-screen ()
  "Overlays with an `orgfig' property are counted."
  (let ((n0 (orgfig--images-on-screen)))
    (orgfig-test-with-org "| 1 | 2 |\n| 3 | 4 |\n"
      (orgfig-plot-table)
      (should (= (orgfig--images-on-screen) (1+ n0))))))

;;;; The viewer

(ert-deftest orgfig-commands/viewer-quit-closes ()
  "Key q quits the window, kills the buffer and closes the figure."
  (let* ((fig (orgfig-figure :title "view q"))
         (buf (orgfig-view fig t)))
    (unwind-protect
        (progn
          (should (equal (buffer-name buf) "*orgfig: view q*"))
          (should (orgfig-live-p fig))
          (with-current-buffer buf
            (should (eq major-mode 'orgfig-view-mode))
            ;; In batch there is no graphical frame: a description.
            (should (string-match-p "graphical frame" (buffer-string))))
          (with-selected-window (or (get-buffer-window buf) (display-buffer buf))
            (execute-kbd-macro "q"))
          (should-not (buffer-live-p buf))
          (should-not (orgfig-live-p fig)))
      (when (buffer-live-p buf) (kill-buffer buf))
      (orgfig-close fig))))

(ert-deftest orgfig-commands/viewer-kill-closes ()
  "Killing the viewer buffer closes the figure; borrow leaves it open."
  (let* ((fig (orgfig-figure))
         (buf (orgfig-view fig t)))
    (kill-buffer buf)
    (should-not (orgfig-live-p fig)))
  (let* ((fig (orgfig-figure))
         (buf (orgfig-view fig 'borrow)))
    (kill-buffer buf)
    (should (orgfig-live-p fig))
    (orgfig-close fig)))

(ert-deftest orgfig-commands/viewer-save ()
  "Key s saves a kept figure in any format and a closed one as its PNG."
  (let* ((dir (make-temp-file "orgfig-test-" t))
         (fig (orgfig-figure :width 300 :height 200))
         (buf (orgfig-view fig t)))
    (unwind-protect
        (with-current-buffer buf
          (cl-letf (((symbol-function 'read-file-name)
                     (lambda (_prompt _dir default &rest _) default)))
            (let ((default-directory (file-name-as-directory dir)))
              (call-interactively #'orgfig-view-save)
              (should (equal (orgfig-test-png-size
                              (orgfig-test-file-bytes (expand-file-name "figure.png" dir)))
                             '(300 . 200)))))
          (orgfig-view-save (expand-file-name "f.pdf" dir))
          (should (string-prefix-p "%PDF"
                                   (orgfig-test-file-bytes (expand-file-name "f.pdf" dir)))))
      (kill-buffer buf)
      (delete-directory dir t)))
  ;; KEEP nil: the figure is closed at once, the PNG still saves.
  (let* ((dir (make-temp-file "orgfig-test-" t))
         (fig (orgfig-figure :width 120 :height 90))
         (buf (orgfig-view fig)))
    (unwind-protect
        (with-current-buffer buf
          (should-not (orgfig-live-p fig))
          (orgfig-view-save (expand-file-name "c.png" dir))
          (should (equal (orgfig-test-png-size
                          (orgfig-test-file-bytes (expand-file-name "c.png" dir)))
                         '(120 . 90)))
          (should-error (orgfig-view-save (expand-file-name "c.svg" dir))
                        :type 'user-error))
      (kill-buffer buf)
      (delete-directory dir t))))

(provide 'test-orgfig-commands)
;;; test-orgfig-commands.el ends here
