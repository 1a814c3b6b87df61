;;; test-ob-orgfig.el --- Tests of the orgfig babel language  -*- lexical-binding: t -*-

;;; Commentary:

;; Batch ERT tests of ob-orgfig.el: header arguments, tables and the
;; column helpers, table mode, results text, closing of figures, :keep
;; and :file.

;;; Code:

(require 'ert)
(require 'subr-x)
(require 'orgfig-test-helpers)
(require 'ob-orgfig)

(defvar ob-orgfig-test--seen nil
  "Values blocks under test store for inspection.")

(defconst ob-orgfig-test--table
  "#+name: sales
| month | revenue | cost |
|-------+---------+------|
| jan   |   1,200 |  800 |
| feb   |     950 |  700 |
| mar   |     13% |      |

")

(defconst ob-orgfig-test--link-re
  "\\`\\[\\[orgfig:\\([0-9a-f]\\{16\\}\\)\\]\\[\\(orgfig: [^]\n]*\\)\\]\\]\\'"
  "A results text made of exactly one orgfig link.")

;;;; Table helpers

(ert-deftest ob-orgfig-table-number ()
  (should (eql (orgfig-table-number 3) 3.0))
  (should (eql (orgfig-table-number "1,234.5") 1234.5))
  (should (eql (orgfig-table-number "12%") 12.0))
  (should (eql (orgfig-table-number " $1,200 ") 1200.0))
  (should (eql (orgfig-table-number "−2.5") -2.5))
  (should (eql (orgfig-table-number "-1e3") -1000.0))
  (should (eql (orgfig-table-number ".5") 0.5))
  (should (isnan (orgfig-table-number "")))
  (should (isnan (orgfig-table-number "n/a")))
  (should (isnan (orgfig-table-number "1.2.3")))
  (should (isnan (orgfig-table-number nil)))
  (should (equal (orgfig-table-numbers '(1 "2" "3%")) [1.0 2.0 3.0])))

(ert-deftest ob-orgfig-table-column-by-index-and-header ()
  ;; A table with its header and hline, as with `:colnames no'.
  (let ((tbl '(("x" "y") hline (1 "2") (3 "4,000") ("5"))))
    (should (equal (orgfig-table-header tbl) '("x" "y")))
    (should (equal (orgfig-table-column tbl 1) [1.0 3.0 5.0]))
    (should (equal (orgfig-table-column tbl "y") (vector 2.0 4000.0 0.0e+NaN)))
    (should (equal (orgfig-table-labels tbl "x") '("1" "3" "5")))
    (should-error (orgfig-table-column tbl 3) :type 'orgfig-invalid-data)
    (should-error (orgfig-table-column tbl 0) :type 'orgfig-invalid-data)
    (should-error (orgfig-table-column tbl "z") :type 'orgfig-invalid-data))
  ;; No header: only indices; a name found in the first row makes it one.
  (let ((tbl '((1 2) (3 4))))
    (should (null (orgfig-table-header tbl)))
    (should (equal (orgfig-table-column tbl 2) [2.0 4.0]))
    (should-error (orgfig-table-column tbl "a") :type 'orgfig-invalid-data))
  (let ((tbl '(("a" "b") (1 2))))
    (should (equal (orgfig-table-column tbl "b") [2.0]))))

(ert-deftest ob-orgfig-var-table-headers ()
  "A :var table arrives without its header; names still work."
  (orgfig-org-test-with-buffer
      (concat ob-orgfig-test--table
              "#+begin_src orgfig :var data=sales
(setq ob-orgfig-test--seen
      (list data (orgfig-table-column data \"revenue\")
            (orgfig-table-column data 3)
            (orgfig-table-labels data \"month\")))
nil
#+end_src
")
    (setq ob-orgfig-test--seen nil)
    (orgfig-org-test-execute)
    (pcase-let ((`(,data ,rev ,cost ,months) ob-orgfig-test--seen))
      ;; Org removed the header row and the hline.
      (should (equal (length data) 3))
      (should (equal (car data) '("jan" "1,200" 800)))
      (should (equal rev [1200.0 950.0 13.0]))
      (should (equal (aref cost 0) 800.0))
      (should (isnan (aref cost 2)))
      (should (equal months '("jan" "feb" "mar"))))
    (should (orgfig-org-test-no-figures-p))))

;;;; Header arguments and results

(ert-deftest ob-orgfig-size-header-args ()
  "Width and height headers (also as strings) give the PNG size."
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :width 320 :height \"200\" :title \"Sales\"
(orgfig-line fig nil [1 3 2])
#+end_src
"
    (orgfig-org-test-execute)
    (let* ((text (orgfig-org-test-results))
           (id (orgfig-org-test-link-id text))
           (entry (orgfig-cache-lookup id)))
      (should (string-match ob-orgfig-test--link-re text))
      (should (equal (match-string 2 text)
                     "orgfig: \"Sales\" 320×200 line plot"))
      (should entry)
      ;; The ID is the content hash of the cached PNG.
      (should (equal id (substring (secure-hash 'sha1 (plist-get entry :png)) 0 16)))
      (should (equal (orgfig-test-png-size (plist-get entry :png)) '(320 . 200))))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-scale-header-arg ()
  "`:scale 2' renders twice the pixels and records the scale."
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :width 200 :height 100 :scale 2
(orgfig-line fig nil [1 2])
#+end_src
"
    (orgfig-org-test-execute)
    (let ((entry (orgfig-cache-lookup (orgfig-org-test-link-id (orgfig-org-test-results)))))
      (should (equal (orgfig-test-png-size (plist-get entry :png)) '(400 . 200)))
      (should (= (plist-get entry :scale) 2)))))

(ert-deftest ob-orgfig-bad-header-arg ()
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :width wide
(orgfig-line fig nil [1 2])
#+end_src
"
    (should-error (orgfig-org-test-execute) :type 'user-error)
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-empty-fig-not-shown ()
  "Nothing drawn: no figure in the results, and the results say so."
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig
(+ 1 2)
#+end_src
"
    (orgfig-org-test-execute)
    (should (equal (orgfig-org-test-results) ": orgfig: nothing was drawn"))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-other-figures-shown ()
  "Every figure the body makes is a result; several go into a drawer."
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :width 300 :height 200
(orgfig-line fig nil [1 2])
(let ((g (orgfig-figure :width 120 :height 90)))
  (orgfig-bar g '(\"a\" \"b\") [1 2]))
#+end_src
"
    (dotimes (_ 2)
      (orgfig-org-test-execute)
      (should (= 2 (orgfig-org-test-count "^\\[\\[orgfig:")))
      (should (= 1 (orgfig-org-test-count "^:results:$"))))
    (let* ((text (orgfig-org-test-results))
           (lines (split-string text "\n")))
      (should (equal (car lines) ":results:"))
      (should (string-match-p "300×200 line plot\\]\\]\\'" (nth 1 lines)))
      (should (string-match-p "120×90 bar plot\\]\\]\\'" (nth 2 lines))))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-reexecution-replaces ()
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :width 300 :height 200
(orgfig-line fig nil (list 1 2 (random 1000)))
#+end_src

after
"
    (dotimes (_ 3)
      (orgfig-org-test-execute)
      (should (= 1 (orgfig-org-test-count "\\[\\[orgfig:")))
      (should (= 1 (orgfig-org-test-count "^#\\+RESULTS:")))
      (should (= 0 (plist-get (orgfig-memory) :figures))))
    (should (string-match-p "\n\nafter\n\\'" (buffer-string)))))

;;;; Closing

(ert-deftest ob-orgfig-error-closes-figures ()
  "A body that signals still closes its figures; the error propagates."
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig
(setq ob-orgfig-test--seen (list fig (orgfig-figure)))
(orgfig-line fig nil [1 2])
(error \"boom\")
#+end_src
"
    (setq ob-orgfig-test--seen nil)
    (let ((err (should-error (orgfig-org-test-execute))))
      (should (equal (cadr err) "boom")))
    (should (= 2 (length ob-orgfig-test--seen)))
    (dolist (f ob-orgfig-test--seen)
      (should-not (orgfig-live-p f)))
    (should (orgfig-org-test-no-figures-p))
    (should-not (orgfig-org-test-results))))

(ert-deftest ob-orgfig-keep-yes ()
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :keep yes
(setq ob-orgfig-test--seen fig)
(orgfig-line fig nil [1 2])
#+end_src
"
    (setq ob-orgfig-test--seen nil)
    (unwind-protect
        (progn
          (orgfig-org-test-execute)
          (should (orgfig-live-p ob-orgfig-test--seen))
          (should (memq ob-orgfig-test--seen (orgfig-figures)))
          (should (string-match-p ob-orgfig-test--link-re (orgfig-org-test-results))))
      (when ob-orgfig-test--seen (orgfig-close ob-orgfig-test--seen)))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-where-context ()
  "Figures made by a block record where they were made."
  (orgfig-org-test-with-buffer
      "text\n#+name: where-test\n#+begin_src orgfig :keep yes
(setq ob-orgfig-test--seen (plist-get (orgfig-figure-info fig) :where))
#+end_src
"
    (setq ob-orgfig-test--seen nil)
    (orgfig-org-test-execute)
    (orgfig-close-all)
    (should (string-match-p ":3 (block where-test)\\'" ob-orgfig-test--seen))))

;;;; Table mode

(ert-deftest ob-orgfig-table-mode ()
  (orgfig-org-test-with-buffer
      (concat ob-orgfig-test--table
              "#+begin_src orgfig :var data=sales :plot line :x 1 :y 2,3 :width 400 :height 300
#+end_src
")
    (orgfig-org-test-execute)
    (let ((text (orgfig-org-test-results)))
      (should (string-match ob-orgfig-test--link-re text))
      (should (equal (match-string 2 text) "orgfig: 400×300 line plot")))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-table-mode-kinds ()
  "Each :plot kind draws, with columns by name or by default."
  (dolist (kind '("line" "scatter" "bar" "hist" "area" "box" "pie" "heatmap"))
    (orgfig-org-test-with-buffer
        (concat ob-orgfig-test--table
                (format "#+begin_src orgfig :var data=sales :plot %s :x month :y revenue,cost
#+end_src
" kind))
      (orgfig-org-test-execute)
      (let ((text (orgfig-org-test-results)))
        (should (string-match ob-orgfig-test--link-re text))
        (should (string-suffix-p (format " %s plot" kind) (match-string 2 text))))
      (should (orgfig-org-test-no-figures-p)))))

(ert-deftest ob-orgfig-table-mode-defaults ()
  "Without :x and :y, column 1 is x and every numeric column is plotted."
  (let (calls)
    (cl-letf (((symbol-function 'orgfig-line)
               (lambda (fig x y &rest props)
                 (push (list x y (plist-get props :label)) calls) fig))
              ((symbol-function 'orgfig-set) (lambda (fig &rest _) fig)))
      (orgfig-table-plot (orgfig-figure) '(("t" "a" "name" "b") hline
                                           (1 2 "x" 3) (2 4 "y" 5))
                         'line))
    (orgfig-close-all)
    (should (equal (nreverse calls)
                   '(([1.0 2.0] [2.0 4.0] "a") ([1.0 2.0] [3.0 5.0] "b"))))))

(ert-deftest ob-orgfig-table-dates-give-a-time-axis ()
  "Dates in x (ISO or Org timestamps) are a time axis for line plots.
Other text in x still labels the rows; bars keep the dates as labels."
  (let* ((table '(("day" "kg") hline ("<2026-11-01 Sun>" 80.1) ("2026-11-03" 79.8)
                  ("[2026-11-20 Fri 08:30]" 78.7)))
         (dates (orgfig-table-dates table "day"))
         (seconds (orgfig-column-values dates)))
    (should (plist-get (orgfig-column-info dates) :time))
    (should (equal seconds
                   (vector (float-time (encode-time '(0 0 0 1 11 2026 nil nil t)))
                           (float-time (encode-time '(0 0 0 3 11 2026 nil nil t)))
                           (float-time (encode-time '(0 30 8 20 11 2026 nil nil t))))))
    (let ((calls nil))
      (cl-letf (((symbol-function 'orgfig-line)
                 (lambda (fig x y &rest _) (push (cons x y) calls) fig))
                ((symbol-function 'orgfig-bar)
                 (lambda (fig labels y &rest _) (push (cons labels y) calls) fig)))
        (orgfig-with-figure (fig)
          (orgfig-table-plot fig table 'line)
          (orgfig-table-plot fig table 'bar)))
      (setq calls (nreverse calls))
      (should (equal (orgfig-column-values (car (nth 0 calls))) seconds))
      (should (equal (car (nth 1 calls))
                     '("<2026-11-01 Sun>" "2026-11-03" "[2026-11-20 Fri 08:30]"))))
    ;; The line drawn is the one the seconds draw on a time axis.
    (let ((render (lambda (draw)
                    (orgfig-with-figure (fig :width 320 :height 200)
                      (funcall draw fig)
                      (orgfig-render fig)))))
      (should (equal (funcall render (lambda (fig) (orgfig-table-plot fig table 'line)))
                     (funcall render
                              (lambda (fig)
                                (orgfig-line fig seconds [80.1 79.8 78.7] :label "kg")
                                (orgfig-set fig :xscale 'time :xlabel "day"
                                            :ylabel "kg"))))))))

(ert-deftest ob-orgfig-table-mode-errors ()
  (orgfig-org-test-with-buffer
      (concat ob-orgfig-test--table
              "#+begin_src orgfig :var data=sales :plot line :y nosuch
#+end_src
")
    (should-error (orgfig-org-test-execute) :type 'orgfig-invalid-data)
    (should (orgfig-org-test-no-figures-p)))
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :plot line
#+end_src
"
    (should-error (orgfig-org-test-execute) :type 'user-error)
    (should (orgfig-org-test-no-figures-p))))

;;;; :file

(ert-deftest ob-orgfig-file-png ()
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :file out.png :width 300 :height 200
(orgfig-line fig nil [1 2 3])
#+end_src
"
    (orgfig-org-test-execute)
    (should (equal (orgfig-org-test-results) "[[file:out.png]]"))
    (let ((bytes (with-temp-buffer
                   (set-buffer-multibyte nil)
                   (insert-file-contents-literally "out.png")
                   (buffer-string))))
      (should (string-prefix-p "\x89PNG\r\n\x1a\n" bytes))
      (should (equal (orgfig-test-png-size bytes) '(300 . 200))))
    (should (= 0 (length (orgfig-org-test-overlays))))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-file-results-file ()
  "With `:results file' (as for ob-dot) Org inserts the link itself."
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig :file plot.svg :results file
(orgfig-line fig nil [1 2 3])
#+end_src
"
    (orgfig-org-test-execute)
    (should (equal (orgfig-org-test-results) "[[file:plot.svg]]"))
    (should (string-match-p "<svg"
                            (with-temp-buffer
                              (insert-file-contents "plot.svg")
                              (buffer-string))))
    (orgfig-org-test-execute)
    (should (= 1 (orgfig-org-test-count "\\[\\[file:plot.svg\\]\\]")))
    (should (orgfig-org-test-no-figures-p))))

(ert-deftest ob-orgfig-no-file-written ()
  "By default nothing is written to disk."
  (orgfig-org-test-with-buffer
      "#+begin_src orgfig
(orgfig-line fig nil [1 2 3])
#+end_src
"
    (orgfig-org-test-execute)
    (should (equal (directory-files default-directory nil "\\`[^.]") nil))))

(provide 'test-ob-orgfig)
;;; test-ob-orgfig.el ends here
