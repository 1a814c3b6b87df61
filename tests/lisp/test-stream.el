;;; test-stream.el --- ERT tests of streamed file sources -*- lexical-binding: t -*-

;;; Commentary:

;; `orgfig-file-source' validation, and line, histogram and density plots
;; streamed from CSV and binary files: they render, keep only their
;; aggregates, and reject the plot kinds that do not stream.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'orgfig)
(require 'orgfig-test-lib)

(defmacro orgfig-stream-test-with-dir (var &rest body)
  "Run BODY with VAR bound to a fresh temporary directory, deleted after."
  (declare (indent 1))
  `(let ((,var (make-temp-file "orgfig-stream-test" t)))
     (unwind-protect (progn ,@body)
       (delete-directory ,var t))))

(defun orgfig-stream-test-csv (file rows)
  "Write ROWS rows \"t,v\" to FILE: v is a sine with an empty cell every 101."
  (with-temp-file file
    (insert "# a comment\nt,v\n")
    (dotimes (i rows)
      (insert (number-to-string i) ","
              (if (= 0 (% i 101)) "" (number-to-string (sin (* i 0.01))))
              "\n"))))

(defun orgfig-stream-test-f64 (file values)
  "Write the numbers VALUES to FILE as little-endian float64."
  (let ((coding-system-for-write 'binary))
    (with-temp-file file
      (set-buffer-multibyte nil)
      (dolist (v values)
        (insert (orgfig-stream-test-double v))))))

(defun orgfig-stream-test-double (v)
  "Return the 8 little-endian bytes of the float64 V (finite, or NaN)."
  (if (and (floatp v) (isnan v))
      (unibyte-string 0 0 0 0 0 0 #xf8 #x7f)
    (let* ((v (float v))
           (sign (if (< v 0) 1 0))
           (a (abs v))
           (bits 0))
      (unless (= a 0)
        (let* ((e (cdr (frexp a)))
               (m (car (frexp a)))) ; a = m * 2^e, 0.5 <= m < 1
          (setq bits (logior (ash (+ e 1022) 52)
                             (logand (truncate (ldexp (- (* 2 m) 1) 52))
                                     (1- (ash 1 52)))))))
      (setq bits (logior bits (ash sign 63)))
      (apply #'unibyte-string
             (cl-loop for k below 8 collect (logand (ash bits (- (* 8 k))) 255))))))

;;;; Sources

(ert-deftest orgfig-file-source-validates ()
  (orgfig-stream-test-with-dir dir
    (let ((csv (expand-file-name "a.csv" dir))
          (bin (expand-file-name "a.f64" dir)))
      (orgfig-stream-test-csv csv 10)
      (orgfig-stream-test-f64 bin '(1 2 3 4 5 6))
      (let ((s (orgfig-file-source csv :column "v")))
        (should (orgfig-file-source-p s))
        (should (eq (orgfig-file-source-format s) 'csv))
        (should (equal (orgfig-file-source-column s) "v")))
      (let ((s (orgfig-file-source bin :columns 2 :column 1)))
        (should (eq (orgfig-file-source-format s) 'binary))
        (should (eq (orgfig-file-source-type s) 'float64)))
      (should-not (orgfig-file-source-p [1 2 3]))
      ;; Missing, unreadable or a directory: orgfig-file-error.
      (should (string-match-p
               "cannot read"
               (cadr (should-error (orgfig-file-source (expand-file-name "no.csv" dir))
                                   :type 'orgfig-file-error))))
      (should-error (orgfig-file-source dir) :type 'orgfig-file-error)
      (should-error (orgfig-file-source 42) :type 'wrong-type-argument)
      (should-error (orgfig-file-source csv :colum 1) :type 'orgfig-invalid-data)
      (should-error (orgfig-file-source csv :format 'xml) :type 'orgfig-invalid-data)
      (should-error (orgfig-file-source csv :column 1.5) :type 'orgfig-invalid-data)
      (should-error (orgfig-file-source csv :delimiter ",,") :type 'orgfig-invalid-data)
      ;; 48 bytes are not rows of 5 float64, and index 2 of 2 columns is out.
      (should (string-match-p
               "not a multiple of 40"
               (cadr (should-error (orgfig-file-source bin :columns 5)
                                   :type 'orgfig-invalid-data))))
      (should-error (orgfig-file-source bin :columns 2 :column 2)
                    :type 'orgfig-invalid-data))))

;; European CSV files: semicolons between cells, commas in numbers.
(ert-deftest orgfig-decimal-comma-in-read-csv-and-file-sources ()
  (orgfig-stream-test-with-dir dir
    (let ((csv (expand-file-name "eu.csv" dir)))
      (with-temp-file csv
        (insert "Zeit;Wert\n")
        (dotimes (i 200)
          (insert (format "2026-11-%02d %02d:00;%s\n" (1+ (/ i 24)) (% i 24)
                          (string-replace "." "," (format "%.2f" (* i 0.25)))))))
      (let* ((ds (orgfig-read-csv csv :decimal ","))
             (v (orgfig-column ds "Wert")))
        (should (equal (orgfig-column-names ds) '("Zeit" "Wert")))
        (should (equal (orgfig-column-values v 0 3) [0.0 0.25 0.5]))
        (should (= (aref (orgfig-column-values v 199) 0) 49.75))
        ;; Without :decimal the cells are no numbers.
        (let ((plain (orgfig-read-csv csv)))
          (should (isnan (aref (orgfig-column-values (orgfig-column plain "Wert") 1 2) 0)))
          (orgfig-close plain))
        ;; Streamed with :decimal ",": the same histogram as the loaded column.
        (let ((render (lambda (data)
                        (orgfig-with-figure (fig :width 240 :height 160)
                          (orgfig-hist fig data :bins 10)
                          (orgfig-render fig)))))
          (should (equal (funcall render (orgfig-file-source csv :column "Wert" :decimal ","))
                         (funcall render v))))
        (orgfig-close ds))
      (should-error (orgfig-read-csv csv :decimal ",," ) :type 'orgfig-invalid-data)
      (should (string-match-p
               "with the decimal comma the delimiter cannot be"
               (cadr (should-error (orgfig-read-csv csv :decimal "," :delimiter ",")
                                   :type 'orgfig-invalid-data))))
      (should-error (orgfig-file-source csv :decimal 1) :type 'orgfig-invalid-data))))

;;;; Plots

(ert-deftest orgfig-stream-line-hist-density-render ()
  (orgfig-stream-test-with-dir dir
    (let ((csv (expand-file-name "s.csv" dir)))
      (orgfig-stream-test-csv csv 300000)
      (let ((size (file-attribute-size (file-attributes csv)))
            (x (orgfig-file-source csv :column "t"))
            (y (orgfig-file-source csv :column "v")))
        (orgfig-with-figure (fig :width 400 :height 300)
          (should (eq (orgfig-line fig x y :label "sine" :color "red") fig))
          (should (eq (orgfig-line fig nil y :dash 'dashed) fig))
          (should (eq (orgfig-hist fig y :bins 40 :alpha 0.3 :axes 0) fig))
          (orgfig-set fig :legend t)
          (let ((info (orgfig-figure-info fig)))
            (should (= (plist-get info :artists) 3))
            ;; Only decimated points (at most 4 per bucket of
            ;; `orgfig-line') and counts are kept.
            (should (> size (* 7 1000 1000)))
            (should (< (plist-get info :bytes) (/ size 3))))
          (should (orgfig-test-png-p (orgfig-render fig))))
        (orgfig-with-figure (fig :width 300 :height 200)
          (orgfig-scatter fig x y :density t :cmap 'magma :colorbar t)
          (should (= (plist-get (orgfig-figure-info fig) :artists) 1))
          (should (orgfig-test-png-p (orgfig-render fig))))))))

(ert-deftest orgfig-stream-line-matches-loaded-line ()
  ;; A small file decimates to every point: the streamed line renders
  ;; like the same data plotted from memory.
  (orgfig-stream-test-with-dir dir
    (let ((bin (expand-file-name "l.f64" dir))
          (vals (cl-loop for i below 300
                         collect (if (= i 150) 0.0e+NaN (* (sin (* i 0.05)) i)))))
      (orgfig-stream-test-f64 bin vals)
      (let ((a (orgfig-figure :width 320 :height 240 :theme 'light))
            (b (orgfig-figure :width 320 :height 240 :theme 'light)))
        (unwind-protect
            (progn
              (orgfig-line a nil (vconcat vals))
              (orgfig-line b nil (orgfig-file-source bin))
              (should (equal (orgfig-render a) (orgfig-render b))))
          (orgfig-close a)
          (orgfig-close b))))))

(ert-deftest orgfig-stream-hist-matches-loaded-hist ()
  (orgfig-stream-test-with-dir dir
    (let ((csv (expand-file-name "h.csv" dir)))
      (orgfig-stream-test-csv csv 3000)
      (let ((ds (orgfig-read-csv csv)))
        (dolist (props '((:bins 25) nil (:range (-0.5 0.5) :density t)
                         (:cumulative t :histtype step)))
          (let ((a (orgfig-figure :width 300 :height 200 :theme 'light))
                (b (orgfig-figure :width 300 :height 200 :theme 'light)))
            (unwind-protect
                (progn
                  (apply #'orgfig-hist a (orgfig-column ds "v") props)
                  (apply #'orgfig-hist b (orgfig-file-source csv :column "v") props)
                  (should (equal (orgfig-render a) (orgfig-render b))))
              (orgfig-close a)
              (orgfig-close b))))
        (orgfig-close ds)))))

(ert-deftest orgfig-stream-errors ()
  (orgfig-stream-test-with-dir dir
    (let* ((csv (expand-file-name "e.csv" dir))
           (other (expand-file-name "o.csv" dir)))
      (orgfig-stream-test-csv csv 100)
      (orgfig-stream-test-csv other 100)
      (let ((y (orgfig-file-source csv :column "v")))
        (orgfig-with-figure (fig)
          ;; Kinds that do not stream say which do.
          (dolist (call (list (lambda () (orgfig-bar fig y [1]))
                              (lambda () (orgfig-box fig (list y)))
                              (lambda () (orgfig-fill-between fig y y 0))))
            (should (string-match-p
                     "streamed only by orgfig-line, orgfig-hist and orgfig-scatter"
                     (cadr (should-error (funcall call) :type 'orgfig-invalid-data)))))
          (should (string-match-p
                   ":density t"
                   (cadr (should-error (orgfig-scatter fig y y)
                                       :type 'orgfig-invalid-data))))
          (should (string-match-p
                   "same file"
                   (cadr (should-error
                          (orgfig-line fig (orgfig-file-source other :column "t") y)
                          :type 'orgfig-invalid-data))))
          (should-error (orgfig-line fig [1 2 3] y) :type 'orgfig-invalid-data)
          (should (string-match-p
                   "orgfig-hist: no column \"w\""
                   (cadr (should-error
                          (orgfig-hist fig (orgfig-file-source csv :column "w"))
                          :type 'orgfig-invalid-data))))
          (should-error (orgfig-line fig nil y :bogus 1) :type 'orgfig-invalid-data)
          (should-error (orgfig-line fig nil y :width "wide")
                        :type 'wrong-type-argument)
          (should (= (plist-get (orgfig-figure-info fig) :artists) 0))
          ;; An unsorted X.
          (with-temp-file other (insert "x,y\n1,1\n3,2\n2,3\n"))
          (should (string-match-p
                   "orgfig-line: streamed X must be sorted"
                   (cadr (should-error
                          (orgfig-line fig (orgfig-file-source other :column 0)
                                       (orgfig-file-source other :column 1))
                          :type 'orgfig-invalid-data))))
          ;; The file vanished after the source was made.
          (delete-file csv)
          (should-error (orgfig-hist fig y) :type 'orgfig-file-error))
        (let ((fig (orgfig-figure)))
          (orgfig-close fig)
          (should-error (orgfig-hist fig y) :type 'orgfig-closed-figure))))))

(ert-deftest orgfig-stream-fault-injection ()
  (orgfig-stream-test-with-dir dir
    (let* ((csv (expand-file-name "f.csv" dir))
           (y (progn (orgfig-stream-test-csv csv 2000)
                     (orgfig-file-source csv :column "v")))
           (done nil) (faults 0))
      (cl-loop for n from 1 below 400 until done do
               (orgfig-with-figure (fig :width 200 :height 150)
                 (orgfig--mod-test-fail-alloc n)
                 (condition-case nil
                     (progn (orgfig-line fig nil y)
                            (orgfig-hist fig y)
                            (setq done t))
                   (orgfig-out-of-memory (cl-incf faults)))
                 (orgfig--mod-test-fail-alloc 0)
                 (should (orgfig-test-png-p (orgfig-render fig)))))
      (should done)
      (should (> faults 5)))))

(provide 'test-stream)
;;; test-stream.el ends here
