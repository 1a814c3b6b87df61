;;; test-orgfig.el --- ERT tests of orgfig's figure API -*- lexical-binding: t -*-

;;; Commentary:

;; Batch tests of the public API in lisp/orgfig.el and the module behind
;; it: figure life cycle, exact error symbols and data, rendering, memory
;; accounting, the memory limit, finalizers and fault injection.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'orgfig)
(require 'orgfig-test-lib)

(defmacro orgfig-test-with-limit (limit &rest body)
  "Run BODY with the memory limit set to LIMIT, restoring it after."
  (declare (indent 1))
  `(let ((old orgfig-memory-limit))
     (unwind-protect
         (progn (customize-set-variable 'orgfig-memory-limit ,limit) ,@body)
       (customize-set-variable 'orgfig-memory-limit old))))

(defun orgfig-test-bytes ()
  "Bytes orgfig holds now."
  (plist-get (orgfig-memory) :bytes))

;;;; Life cycle

(ert-deftest orgfig-figure-is-a-live-figure ()
  (let ((fig (orgfig-figure :width 300 :height 200)))
    (should (orgfig-figure-p fig))
    (should (orgfig-live-p fig))
    (should (eq (type-of fig) 'user-ptr))
    (should (memq fig (orgfig-figures)))
    (orgfig-close fig)))

(ert-deftest orgfig-close-is-idempotent ()
  (let ((fig (orgfig-figure)))
    (should (null (orgfig-close fig)))
    (should (null (orgfig-close fig)))
    (should (orgfig-figure-p fig))
    (should-not (orgfig-live-p fig))
    (should-not (memq fig (orgfig-figures)))))

(ert-deftest orgfig-use-after-close-signals ()
  (let ((fig (orgfig-figure)))
    (orgfig-close fig)
    (dolist (thunk (list (lambda () (orgfig-line fig nil [1 2 3]))
                         (lambda () (orgfig-set fig :title "x"))
                         (lambda () (orgfig-render fig))
                         (lambda () (orgfig-image fig))))
      (let ((err (should-error (funcall thunk) :type 'orgfig-closed-figure)))
        ;; The data names the figure and says what happened.
        (should (stringp (cadr err)))
        (should (eq (car (last err)) fig))))))

(ert-deftest orgfig-closed-figure-is-an-orgfig-error ()
  (let ((fig (orgfig-figure)))
    (orgfig-close fig)
    (should (condition-case nil (progn (orgfig-render fig) nil)
              (orgfig-error t)))
    (should (condition-case nil (progn (orgfig-render fig) nil)
              (error t)))))

(ert-deftest orgfig-non-figures-are-wrong-type ()
  (dolist (obj (list 42 "fig" nil 'fig [1 2] (list 1 2) (make-hash-table)
                     (orgfig-pack [1 2 3])))
    (should-not (orgfig-figure-p obj))
    (should (equal (should-error (orgfig-line obj nil [1 2]) :type 'wrong-type-argument)
                   (list 'wrong-type-argument 'orgfig-figure-p obj)))
    (should (equal (should-error (orgfig-render obj) :type 'wrong-type-argument)
                   (list 'wrong-type-argument 'orgfig-figure-p obj)))
    (should-error (orgfig-live-p obj) :type 'wrong-type-argument)
    (should-error (orgfig-close obj) :type 'wrong-type-argument)))

(ert-deftest orgfig-with-figure-closes-on-error ()
  (let (kept)
    (should-error
     (orgfig-with-figure (fig :title "t")
       (setq kept fig)
       (error "Boom")))
    (should (orgfig-figure-p kept))
    (should-not (orgfig-live-p kept))))

(ert-deftest orgfig-with-figure-returns-body-value ()
  (let (kept)
    (should (equal (orgfig-with-figure (fig) (setq kept fig) 7) 7))
    (should-not (orgfig-live-p kept))))

;;;; Rendering

(ert-deftest orgfig-render-png-has-the-figure-size ()
  (orgfig-with-figure (fig :width 321 :height 123 :title "Size")
    (orgfig-line fig [0 1 2] [3 1 2] :label "a" :color "tab:red" :width 2)
    (let ((png (orgfig-render fig)))
      (should (orgfig-test-png-p png))
      (should (equal (orgfig-test-png-size png) '(321 . 123))))))

(ert-deftest orgfig-render-scale-multiplies-pixels ()
  (orgfig-with-figure (fig :width 200 :height 150 :scale 2)
    (orgfig-line fig nil [1 4 9])
    (should (equal (orgfig-test-png-size (orgfig-render fig)) '(400 . 300)))
    (should (equal (plist-get (cdr (orgfig-image fig)) :scale) 0.5))))

(ert-deftest orgfig-render-empty-figure-works ()
  (orgfig-with-figure (fig :width 100 :height 80)
    (should (equal (orgfig-test-png-size (orgfig-render fig)) '(100 . 80)))))

(ert-deftest orgfig-render-accepts-lists-integers-and-floats ()
  (orgfig-with-figure (fig)
    (orgfig-line fig '(1 2 3) '(1.5 2 2.5))
    (orgfig-line fig nil [1 2.0 3])
    (should (= 2 (plist-get (orgfig-figure-info fig) :artists)))
    (should (orgfig-test-png-p (orgfig-render fig)))))

(ert-deftest orgfig-render-svg-and-pdf ()
  (orgfig-with-figure (fig :width 200 :height 100 :title "Vector <&>")
    (orgfig-line fig nil [1 2 3])
    (let ((svg (orgfig-render fig 'svg))
          (pdf (orgfig-render fig 'pdf)))
      (should (string-match-p "<svg" svg))
      (should (string-prefix-p "%PDF" pdf)))
    (should-error (orgfig-render fig 'gif) :type 'orgfig-invalid-data)))

;; Markers centred on their pixels (the default :snap t) all look alike,
;; so a scatter of many small markers compresses better than with :snap
;; nil (placed to 1/8 pixel); SVG is the same either way (never snapped).
(ert-deftest orgfig-scatter-snap-reaches-c ()
  (let* ((n 20000)
         (x (orgfig-pack (vconcat (mapcar (lambda (i) (sin (* 1.7 i)))
                                          (number-sequence 1 n)))))
         (y (orgfig-pack (vconcat (mapcar (lambda (i) (cos (* 2.3 i)))
                                          (number-sequence 1 n)))))
         (sizes
          (mapcar
           (lambda (snap)
             (orgfig-with-figure (fig :width 400 :height 300)
               (orgfig-scatter fig x y :size 2 :snap snap)
               (list (length (orgfig-render fig))
                     ;; cairo numbers its surfaces: drop that, hash the rest
                     (secure-hash 'sha1 (replace-regexp-in-string
                                         "surface[0-9]+" ""
                                         (orgfig-render fig 'svg))))))
           '(t nil))))
    (should (< (car (nth 0 sizes)) (car (nth 1 sizes))))
    (should (equal (nth 1 (nth 0 sizes)) (nth 1 (nth 1 sizes))))))

(ert-deftest orgfig-save-picks-format-from-extension ()
  (let ((dir (make-temp-file "orgfig-test" t)))
    (unwind-protect
        (orgfig-with-figure (fig :width 120 :height 90)
          (orgfig-line fig nil [1 3 2])
          (let ((png (expand-file-name "a.png" dir))
                (svg (expand-file-name "a.svg" dir)))
            (should (equal (orgfig-save fig png) png))
            (orgfig-save fig svg)
            (should (equal (orgfig-test-png-size
                            (with-temp-buffer
                              (set-buffer-multibyte nil)
                              (insert-file-contents-literally png)
                              (buffer-string)))
                           '(120 . 90)))
            (should (with-temp-buffer (insert-file-contents svg)
                                      (search-forward "<svg" nil t)))
            (should-error (orgfig-save fig (expand-file-name "a.gif" dir))
                          :type 'orgfig-invalid-data)))
      (delete-directory dir t))))

(ert-deftest orgfig-image-is-a-png-image ()
  (orgfig-with-figure (fig :width 64 :height 48)
    (orgfig-line fig nil [1 2])
    (let ((img (orgfig-image fig)))
      (should (eq (car img) 'image))
      (should (eq (plist-get (cdr img) :type) 'png))
      (should (orgfig-test-png-p (plist-get (cdr img) :data))))))

;;;; Data validation

(ert-deftest orgfig-line-length-mismatch-names-both-lengths ()
  (orgfig-with-figure (fig)
    (let ((err (should-error (orgfig-line fig [1 2 3] [1 2 3 4])
                             :type 'orgfig-invalid-data)))
      (should (string-match-p "orgfig-line" (cadr err)))
      (should (string-match-p "3" (cadr err)))
      (should (string-match-p "4" (cadr err))))
    ;; The failed call left the figure as it was.
    (should (= 0 (plist-get (orgfig-figure-info fig) :artists)))))

(ert-deftest orgfig-line-rejects-non-numbers ()
  (orgfig-with-figure (fig)
    (should (equal (should-error (orgfig-line fig nil [1 "two" 3])
                                 :type 'wrong-type-argument)
                   '(wrong-type-argument numberp "two")))
    (should-error (orgfig-line fig nil "abc") :type 'wrong-type-argument)))

(ert-deftest orgfig-bad-property-lists ()
  (orgfig-with-figure (fig)
    (should-error (orgfig-line fig nil [1 2] :color) :type 'orgfig-invalid-data)
    (should (equal (should-error (orgfig-line fig nil [1 2] 'color "red")
                                 :type 'wrong-type-argument)
                   '(wrong-type-argument keywordp color)))
    (let ((err (should-error (orgfig-line fig nil [1 2] :colour "red")
                             :type 'orgfig-invalid-data)))
      (should (string-match-p ":colour" (cadr err))))
    (let ((circular (list :label "a")))
      (setcdr (cdr circular) circular)
      (should-error (orgfig--props-vector "orgfig-line" circular)
                    :type 'orgfig-invalid-data))))

(ert-deftest orgfig-figure-size-limits ()
  (should-error (orgfig-figure :width 0) :type 'orgfig-invalid-data)
  (should-error (orgfig-figure :width 100000) :type 'orgfig-invalid-data)
  (should-error (orgfig-figure :height -5) :type 'orgfig-invalid-data)
  (should-error (orgfig-figure :width "wide") :type 'wrong-type-argument)
  (should-error (orgfig-figure :width (expt 10 30)) :type 'orgfig-invalid-data)
  (should-error (orgfig-figure :theme 'no-such-theme) :type 'orgfig-invalid-data))

(ert-deftest orgfig-set-properties ()
  (orgfig-with-figure (fig)
    (orgfig-line fig nil [1 2 3])
    (should (eq fig (orgfig-set fig :title "T" :xlabel "x" :ylabel "y"
                                :xlim '(0 5) :ylim [0 10])))
    (should (equal (plist-get (orgfig-figure-info fig) :title) "T"))
    (should-error (orgfig-set fig :xlim '(1)) :type 'orgfig-invalid-data)
    (should (orgfig-test-png-p (orgfig-render fig)))))

(defun orgfig-test-count-idat (png)
  "Return the number of IDAT chunks in the PNG string PNG."
  (let ((pos 8) (n 0))
    (while (< (+ pos 8) (length png))
      (let ((len (+ (ash (aref png pos) 24) (ash (aref png (+ pos 1)) 16)
                    (ash (aref png (+ pos 2)) 8) (aref png (+ pos 3)))))
        (when (equal (substring png (+ pos 4) (+ pos 8)) "IDAT")
          (setq n (1+ n)))
        (setq pos (+ pos 12 len))))
    n))

(ert-deftest orgfig-render-threads-setting ()
  ;; The setting reaches C: an 800x600 line plot (about 50 KB of PNG,
  ;; under libpng's 64 KiB chunk) is one IDAT chunk from one thread and
  ;; one per band from several.
  (let ((old orgfig-render-threads))
    (unwind-protect
        (orgfig-with-figure (fig :width 800 :height 600)
          (orgfig-line fig nil (vconcat (mapcar (lambda (i) (sin (* 0.01 i)))
                                                (number-sequence 0 999))))
          (customize-set-variable 'orgfig-render-threads 1)
          (should (= 1 (orgfig-test-count-idat (orgfig-render fig))))
          (customize-set-variable 'orgfig-render-threads 3)
          (should (= 3 (orgfig-test-count-idat (orgfig-render fig))))
          (dolist (bad '(0 9 1.5 nil "2"))
            (should-error (customize-set-variable 'orgfig-render-threads bad)
                          :type 'user-error)
            (should (= orgfig-render-threads 3)))
          (should-error (orgfig--mod-set-threads 0) :type 'orgfig-invalid-data)
          (should-error (orgfig--mod-set-threads 9) :type 'orgfig-invalid-data)
          (should-error (orgfig--mod-set-threads 'two) :type 'wrong-type-argument))
      (customize-set-variable 'orgfig-render-threads old))))

;;;; Memory

(ert-deftest orgfig-memory-plist ()
  (let ((m (orgfig-memory)))
    (dolist (k '(:figures :datasets :bytes :peak-bytes :limit))
      (should (plist-member m k)))
    (should (natnump (plist-get m :bytes)))
    (should (>= (plist-get m :peak-bytes) (plist-get m :bytes)))))

(ert-deftest orgfig-memory-counts-and-returns-to-baseline ()
  (garbage-collect)
  (let* ((before (orgfig-test-bytes))
         (figs (plist-get (orgfig-memory) :figures))
         (fig (orgfig-figure)))
    (orgfig-line fig nil (make-vector 10000 1.5))
    (should (> (orgfig-test-bytes) (+ before 80000)))
    (should (= (1+ figs) (plist-get (orgfig-memory) :figures)))
    (should (> (plist-get (orgfig-figure-info fig) :bytes) 80000))
    (orgfig-close fig)
    (should (= figs (plist-get (orgfig-memory) :figures)))
    ;; Only the small struct remains until the finalizer runs.
    (should (< (- (orgfig-test-bytes) before) 4096))))

(ert-deftest orgfig-memory-limit-signals-and-keeps-figures ()
  (orgfig-with-figure (fig :width 200 :height 100)
    (orgfig-line fig nil [1 2 3])
    (let ((png (orgfig-render fig)))
      (orgfig-test-with-limit (+ (orgfig-test-bytes) 1000)
        (should-error (orgfig-line fig nil (make-vector 100000 1.0))
                      :type 'orgfig-memory-limit)
        (should (equal (plist-get (orgfig-memory) :limit) orgfig-memory-limit))
        ;; Rendering needs a pixel buffer larger than the limit allows.
        (should-error (orgfig-render fig) :type 'orgfig-memory-limit)
        (should (orgfig-live-p fig)))
      ;; Intact after the limit is lifted: same picture as before.
      (should (= 1 (plist-get (orgfig-figure-info fig) :artists)))
      (should (equal (orgfig-render fig) png)))))

;; A `let' (or `setq') of the settings reaches C at the next call into
;; orgfig, and the value outside the `let' comes back after it; calls in
;; between do not push unchanged settings again.
(ert-deftest orgfig-settings-follow-let-bindings ()
  (should (null orgfig-memory-limit))
  (let ((orgfig-memory-limit (+ (orgfig-test-bytes) 1000)))
    (should-error (orgfig-pack (make-vector 100000 1.0)) :type 'orgfig-memory-limit)
    (should (equal (plist-get (orgfig-memory) :limit) orgfig-memory-limit)))
  (should (orgfig-column-p (orgfig-pack (make-vector 100000 1.0))))
  (should (null (plist-get (orgfig-memory) :limit)))
  (let ((pushes 0))
    (cl-letf* ((real (symbol-function 'orgfig--mod-set-limit))
               ((symbol-function 'orgfig--mod-set-limit)
                (lambda (v) (setq pushes (1+ pushes)) (funcall real v))))
      (dotimes (_ 3) (orgfig-pack [1 2 3]))
      (should (= pushes 0))
      (let ((orgfig-render-threads 1))
        (orgfig-pack [1 2 3]))
      (orgfig-pack [1 2 3])
      (should (= pushes 2)))))

(ert-deftest orgfig-memory-limit-rejects-bad-values ()
  (should-error (customize-set-variable 'orgfig-memory-limit -1))
  (should-error (customize-set-variable 'orgfig-memory-limit "big")))

(defun orgfig-test--leak-figures (n)
  "Make N figures with data and drop every reference to them."
  (dotimes (_ n)
    (orgfig-line (orgfig-figure :width 100 :height 100) nil (make-vector 1000 1.0)))
  nil)

(ert-deftest orgfig-finalizers-free-garbage-figures ()
  (garbage-collect)
  (let ((finalized (plist-get (orgfig-memory) :finalized))
        (open (plist-get (orgfig-memory) :figures))
        bytes-leaked)
    (orgfig-test--leak-figures 100)
    (setq bytes-leaked (orgfig-test-bytes))
    (should (= (plist-get (orgfig-memory) :figures) (+ open 100)))
    (garbage-collect)
    ;; Conservative stack scanning may keep a few alive; not all of them.
    (should (> (plist-get (orgfig-memory) :finalized) finalized))
    (should (< (plist-get (orgfig-memory) :figures) (+ open 100)))
    (should (< (orgfig-test-bytes) bytes-leaked))))

(ert-deftest orgfig-figures-list-is-weak ()
  (garbage-collect)
  (let ((n (length (orgfig-figures))))
    (orgfig-test--leak-figures 50)
    (garbage-collect)
    (should (< (length (orgfig-figures)) (+ n 50)))))

;;;; Columns

(ert-deftest orgfig-pack-makes-a-reusable-column ()
  (let ((col (orgfig-pack [1 2 3 4]))
        (col32 (orgfig-pack (number-sequence 1 1000) 'float32))
        (col64 (orgfig-pack (number-sequence 1 1000))))
    (should (orgfig-column-p col))
    (should (= 4 (plist-get (orgfig-column-info col) :length)))
    (should (eq 'float32 (plist-get (orgfig-column-info col32) :type)))
    (should (< (plist-get (orgfig-column-info col32) :bytes)
               (* 0.6 (plist-get (orgfig-column-info col64) :bytes))))
    (orgfig-with-figure (a)
      (orgfig-with-figure (b)
        (orgfig-line a nil col)
        (orgfig-line b col col)
        (should (orgfig-test-png-p (orgfig-render b)))))
    (should-error (orgfig-pack ["a"]) :type 'wrong-type-argument)
    (should-error (orgfig-pack [1] 'int8) :type 'orgfig-invalid-data)))

(ert-deftest orgfig-pack-reads-mixed-numbers-in-every-block ()
  ;; Floats are read a block of 256 at a time with one check per block;
  ;; an integer or a non-number anywhere sends that block through the
  ;; careful path.  The same numbers given as floats, as integers here
  ;; and there, or all as integers draw the same picture.
  (let* ((n 1000)
         (floats (make-vector n 0.0)) (mixed (make-vector n 0.0))
         (ints (make-vector n 0)))
    (dotimes (i n)
      (let ((k (round (* 100 (sin (* 0.05 i))))))
        (aset floats i (float k))
        (aset mixed i (if (memq (% i 300) '(0 1 299)) k (float k)))
        (aset ints i k)))
    (let ((pngs (mapcar (lambda (v)
                          (orgfig-with-figure (fig :width 300 :height 200)
                            (orgfig-line fig nil (orgfig-pack v))
                            (orgfig-render fig)))
                        (list floats mixed ints))))
      (should (equal (nth 0 pngs) (nth 1 pngs)))
      (should (equal (nth 0 pngs) (nth 2 pngs))))
    (dolist (pos '(1 255 256 257 700 999))
      (let ((bad (copy-sequence floats)))
        (aset bad pos "x")
        (should (equal (should-error (orgfig-pack bad) :type 'wrong-type-argument)
                       '(wrong-type-argument numberp "x")))))
    (let ((big (copy-sequence floats)))
      (aset big 600 (expt 10 30))
      (should (orgfig-column-p (orgfig-pack big))))))

;; Dates in a CSV file become Unix seconds, and a time axis.
(ert-deftest orgfig-read-csv-dates-give-a-time-axis ()
  (let ((file (make-temp-file "orgfig-dates" nil ".csv")))
    (unwind-protect
        (progn
          (with-temp-file file
            (insert "day,sales\n")
            (dotimes (i 60)
              (insert (format-time-string "%F %R," (* 86400 (+ 20000 i)) t)
                      (number-to-string (* i i)) "\n")))
          (let* ((ds (orgfig-read-csv file :type 'float32))
                 (day (orgfig-column ds "day"))
                 (sales (orgfig-column ds "sales"))
                 (seconds (orgfig-pack (cl-loop for i below 60
                                                collect (* 86400.0 (+ 20000 i)))))
                 (draw (lambda (x &optional before after)
                         (orgfig-with-figure (fig :width 320 :height 200)
                           (when before (apply #'orgfig-set fig before))
                           (orgfig-line fig x sales)
                           (when after (apply #'orgfig-set fig after))
                           (orgfig-render fig)))))
            (should (plist-get (orgfig-column-info day) :time))
            ;; Kept in float64: float32 would round these seconds to 128 s.
            (should (eq (plist-get (orgfig-column-info day) :type) 'float64))
            (should (eq (plist-get (orgfig-column-info sales) :type) 'float32))
            (should-not (plist-get (orgfig-column-info sales) :time))
            (should-not (plist-get (orgfig-column-info seconds) :time))
            (let ((auto (funcall draw day))
                  (time (funcall draw seconds nil '(:xscale time)))
                  (linear (funcall draw seconds)))
              ;; The same seconds, given as a time column, get the time
              ;; axis that :xscale time draws (calendar ticks).
              (should (equal auto time))
              (should-not (equal auto linear))
              ;; A scale the caller chose wins, before or after plotting.
              (should (equal (funcall draw day '(:xscale linear)) linear))
              (should (equal (funcall draw day nil '(:xscale linear)) linear)))
            (orgfig-close ds)))
      (delete-file file))))

;; Dates read in Lisp (tables, regions) and in C (CSV files) agree.
(ert-deftest orgfig-parse-time-reads-iso-and-org-dates ()
  (let ((day (float-time (encode-time '(0 0 0 22 11 2026 nil nil t)))))
    (dolist (case `(("2026-11-22" . 0) (" 2026-11-22 " . 0) ("<2026-11-22 Sun>" . 0)
                    ("[2026-11-22 Sun 10:05]" . 36300) ("<2026-11-22 dim. 10:05>" . 36300)
                    ("2026-11-22 10:05" . 36300) ("2026-11-22t10:05:07.5z" . 36307.5)
                    ("2026-11-22T10:05:07,5+01:00" . 32707.5)
                    ("2026-11-22T10:05-0530" . 56100) ("2026-11-22T10:05+02" . 29100)))
      (should (equal (cons (car case) (orgfig-parse-time (car case)))
                     (cons (car case) (+ day (cdr case)))))))
  (dolist (bad '("2026" "2026-11" "2026-1-05" "20261122" "2026/11/22" "2026-13-01"
                 "2026-02-30" "2025-02-29" "1900-02-29" "2026-11-22T" "2026-11-22T10"
                 "2026-11-22T24:00" "2026-11-22T10:60" "2026-11-22T10:00:61"
                 "2026-11-22T10:05,25" "2026-11-22T10:00+01:" "2026-11-22T10:00+24:00"
                 "2026-11-22x" "12.5" "" nil 20261122))
    (should-not (orgfig-parse-time bad)))
  ;; The C reader gives the same seconds for every ISO form, random ones
  ;; included, and NaN for what neither reads.
  (let ((file (make-temp-file "orgfig-times" nil ".csv"))
        (cells '("2026-11-22" "2026-11-22 10:05" "2026-11-22T10:05:07.25Z"
                 "2026-11-22T10:05+0530" "2024-02-29T23:59:60" "2026-02-30" "x")))
    (random "orgfig-times")
    (dotimes (_ 500)
      (push (format "%04d-%02d-%02dT%02d:%02d:%02d%s%s" (1+ (random 9999)) (1+ (random 12))
                    (1+ (random 28)) (random 24) (random 60) (random 60)
                    (nth (random 3) (list "" (format ".%d" (random 1000))
                                          (format ",%06d" (random 1000000))))
                    (nth (random 4) '("" "Z" "+01:30" "-0845")))
            cells))
    (unwind-protect
        (progn
          (with-temp-file file
            (insert "t\n" (mapconcat #'identity cells "\n") "\n"))
          (let* ((ds (orgfig-read-csv file :delimiter ";")) ; "07,5" is one cell
                 (col (orgfig-column ds "t"))
                 (n (length cells)))
            (should (= (plist-get (orgfig-column-info col) :length) n))
            (should (equal (cl-mapcar #'cons cells (orgfig-column-values col))
                           (mapcar (lambda (c) (cons c (or (orgfig-parse-time c) 0.0e+NaN)))
                                   cells)))
            (orgfig-close ds)))
      (delete-file file))))

(ert-deftest orgfig-column-values-gives-slices ()
  (let ((col (orgfig-pack [1 2.5 -3 0.0e+NaN 5] 'float32)))
    (should (equal (orgfig-column-values col) [1.0 2.5 -3.0 0.0e+NaN 5.0]))
    (should (equal (orgfig-column-values col 1 3) [2.5 -3.0]))
    (should (equal (orgfig-column-values col 5) []))
    (should (equal (should-error (orgfig-column-values col 2 6) :type 'orgfig-invalid-data)
                   '(orgfig-invalid-data "orgfig-column-values: START 2 and END 6 are \
not a range of the column's 5 values")))
    (should-error (orgfig-column-values col -1) :type 'orgfig-invalid-data)
    (should-error (orgfig-column-values col 3 2) :type 'orgfig-invalid-data)
    (should-error (orgfig-column-values col 1.5) :type 'wrong-type-argument)
    (should-error (orgfig-column-values [1 2]) :type 'wrong-type-argument)))

(ert-deftest orgfig-pack-time-marks-a-copy ()
  (let* ((plain (orgfig-pack [1.0 2.0 3.0]))
         (time (orgfig-pack plain 'time))
         (listed (orgfig-pack '(1 2 3) 'time)))
    (should (plist-get (orgfig-column-info time) :time))
    (should (plist-get (orgfig-column-info listed) :time))
    (should (eq (plist-get (orgfig-column-info time) :type) 'float64))
    ;; The column it was packed from is not changed.
    (should-not (plist-get (orgfig-column-info plain) :time))
    (should (equal (should-error (orgfig-pack [1] 'date) :type 'orgfig-invalid-data)
                   '(orgfig-invalid-data "orgfig-pack: TYPE must be float64, float32 or time"
                                         date)))))

;;;; Faults and module loading

(ert-deftest orgfig-allocation-failures-are-clean-errors ()
  "Fail each allocation of a figure's life in turn: never a crash or leak."
  (garbage-collect)
  (let ((base (orgfig-test-bytes))
        (n 1) done)
    (while (and (not done) (< n 400))
      (let (fig)
        (condition-case err
            (progn
              (orgfig--mod-test-fail-alloc n)
              (setq fig (orgfig--mod-figure-new [:width 120 :height 90 :title "F"]))
              (orgfig--mod-plot fig 'line [nil [1 2 3]] [:label "a"])
              (orgfig--mod-render fig 'png nil nil)
              (orgfig--mod-test-fail-alloc 0)
              (setq done t))
          (orgfig-out-of-memory
           (orgfig--mod-test-fail-alloc 0)
           (should (stringp (cadr err)))))
        (orgfig--mod-test-fail-alloc 0)
        (when fig
          ;; The figure is still usable after the failure.
          (should (orgfig-test-png-p (orgfig--mod-render fig 'png nil nil)))
          (orgfig-close fig)))
      (cl-incf n))
    (should done)
    (should (> n 3))
    (garbage-collect)
    (should (<= (- (orgfig-test-bytes) base) 4096))))

(ert-deftest orgfig-module-loads-twice ()
  (let ((file (expand-file-name (concat "orgfig-module" module-file-suffix)
                                orgfig--directory)))
    (module-load file)
    (should (featurep 'orgfig-module))
    (orgfig-with-figure (fig)
      (orgfig-line fig nil [1 2])
      (should (orgfig-test-png-p (orgfig-render fig))))))

(ert-deftest orgfig-missing-module-message-is-clear ()
  (let ((orgfig--directory (make-temp-file "orgfig-nomod" t)))
    (unwind-protect
        (cl-letf (((symbol-function 'orgfig--load-module) (lambda () nil)))
          (let ((err (should-error (orgfig--ensure-module) :type 'orgfig-module-missing)))
            (should (string-match-p "not built" (cadr err)))))
      (delete-directory orgfig--directory t))))

(ert-deftest orgfig-module-exports-only-its-entry-points ()
  "Hidden visibility: the module exports init and the GPL symbol only."
  (skip-unless (executable-find "nm"))
  ;; A module built with the sanitizers also exports their runtime.
  (skip-unless (not (getenv "ORGFIG_TEST_SANITIZED")))
  (let* ((file (expand-file-name (concat "orgfig-module" module-file-suffix)
                                 orgfig--directory))
         (out (with-temp-buffer
                (call-process "nm" nil t nil "-D" "--defined-only" file)
                (buffer-string)))
         (syms (cl-loop for line in (split-string out "\n" t)
                        for f = (split-string line)
                        when (= (length f) 3) collect (nth 2 f))))
    (should (equal (sort syms #'string<)
                   '("emacs_module_init" "plugin_is_GPL_compatible")))))

(ert-deftest orgfig-auto-theme-follows-the-default-face ()
  (cl-letf (((symbol-function 'face-background)
             (lambda (&rest _) "#000000"))
            ((symbol-function 'face-foreground)
             (lambda (&rest _) "#ffffff")))
    (let ((style (orgfig--auto-theme)))
      (should (equal (plist-get style :background) "#000000"))
      (should (equal (plist-get style :foreground) "#ffffff"))
      ;; A dark background gets the lighter color cycle.
      (should (equal (plist-get style :cycle) orgfig--dark-cycle))))
  (cl-letf (((symbol-function 'face-background)
             (lambda (&rest _) "#ffffff"))
            ((symbol-function 'face-foreground)
             (lambda (&rest _) "#000000")))
    (should-not (plist-member (orgfig--auto-theme) :cycle)))
  (cl-letf (((symbol-function 'face-background)
             (lambda (&rest _) "unspecified-bg")))
    (should (equal (orgfig--auto-theme) (cdr (assq 'light orgfig-themes))))))

(ert-deftest orgfig-auto-theme-is-applied-at-render-time ()
  "A figure with theme auto takes the face colors when rendered."
  (orgfig-with-figure (fig :theme 'auto :width 40 :height 30)
    (cl-letf (((symbol-function 'face-background) (lambda (&rest _) "#000000"))
              ((symbol-function 'face-foreground) (lambda (&rest _) "#ffffff")))
      (let ((dark (orgfig-render fig)))
        (cl-letf (((symbol-function 'face-background) (lambda (&rest _) "#ffffff"))
                  ((symbol-function 'face-foreground) (lambda (&rest _) "#000000")))
          (should-not (equal dark (orgfig-render fig))))))))

(provide 'test-orgfig)
;;; test-orgfig.el ends here
