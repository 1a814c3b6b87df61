;;; bench.el --- orgfig's benchmark harness (make bench, make bench-peers) -*- lexical-binding: t -*-

;; Copyright (C) 2026 The orgfig developers

;; This file is not part of GNU Emacs.

;; This program is free software; you can redistribute it and/or modify
;; it under the terms of the GNU General Public License as published by
;; the Free Software Foundation, either version 3 of the License, or
;; (at your option) any later version.

;;; Commentary:

;; Usage (from the source root, as the Makefile does):
;;
;;   `emacs -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-batch'
;;   `emacs -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-peers-batch'
;;
;; `orgfig-bench-batch' runs the standard workloads in this one Emacs
;; through the public Lisp API and prints a markdown table (also written
;; to build/bench.md).  The protocol follows the peers' measurements in
;; the shared notes (peer-bench.md), so the numbers can be compared:
;;
;; - Data is generated here with a seeded PRNG (xorshift128 -> uniform ->
;;   Box-Muller normal; a random walk is a cumulative sum), so every run
;;   and every tool sees the same numbers.  The generator is compiled
;;   natively when Emacs can, else byte-compiled; generation is untimed.
;; - The same data is written once to little-endian float64 files in
;;   `orgfig-bench-dir' (interleaved x,y for two columns), which the peers
;;   read and which time `orgfig-read-binary' when it exists.
;; - A rep is: `orgfig-figure' 800x600 + the plot call + `orgfig-render'
;;   (PNG: drawing and encoding), timed together with the data already in
;;   columns (`orgfig-pack').  `orgfig-close' and a `garbage-collect' run
;;   after each rep, untimed (the peers' plt.close + gc.collect).
;; - Data loading (pack from a Lisp vector; read-binary/read-csv from a
;;   file) is timed separately.
;; - Peak memory of a heavy workload is measured in a child Emacs that
;;   holds only that workload's columns: the kernel's peak-RSS mark is
;;   reset (/proc/self/clear_refs) once the data is loaded, so "render
;;   growth" is the most extra resident memory one rep needed.  orgfig's
;;   own counted peak (`orgfig-memory') is reported next to it.
;;
;; Performance goals are reported, never asserted: this is not a test.

;;; Code:

(require 'bytecomp)
(require 'cl-lib)
(require 'subr-x)

(defvar orgfig-bench-dir "/tmp/orgfig-bench/"
  "Directory of the generated data files shared with the peers.")

(defconst orgfig-bench-seed 20240601
  "Seed of every generated data set (each workload adds its own offset).")

(defconst orgfig-bench-data-version 1
  "Bump when the generator changes, so cached data files are rewritten.")

(defvar orgfig-bench-reps
  (let ((e (getenv "ORGFIG_BENCH_REPS")))
    (if (and e (> (string-to-number e) 0)) (string-to-number e) 5))
  "Timed reps per workload (environment variable ORGFIG_BENCH_REPS).")

(defvar orgfig-bench-root
  (expand-file-name ".." (file-name-directory (or load-file-name buffer-file-name)))
  "The orgfig source root (the directory holding the Makefile).")

(defconst orgfig-bench-all-workloads
  '(line_1k line_100k line_1m line_10m scatter_100k scatter_1m hist_1m
            heatmap_1000 bar_20 many_figs org_block_1k)
  "The standard workloads, in the order they run.")

(defvar orgfig-bench-workloads
  (let ((only (getenv "ORGFIG_BENCH_ONLY")))
    (if (and only (not (string-empty-p only)))
        (mapcar #'intern (split-string only "[ ,]+" t))
      orgfig-bench-all-workloads))
  "The workloads this run does (environment variable ORGFIG_BENCH_ONLY).")

(defconst orgfig-bench-memory-workloads
  '(line_1m line_10m scatter_1m hist_1m heatmap_1000)
  "Workloads whose peak memory is measured in their own child Emacs.")

(defconst orgfig-bench-goals
  '((line_1k 5) (bar_20 5) (line_1m 15) (line_10m 80) (scatter_1m 30)
    (hist_1m 10) (heatmap_1000 40) (org_block_1k 30))
  "Median-time goals in ms from the issue.")

(defconst orgfig-bench-mpl-png
  '((line_1k . 41860) (line_100k . 35090) (line_1m . 28704) (line_10m . 32251)
    (scatter_100k . 63423) (scatter_1m . 63723) (hist_1m . 15336)
    (heatmap_1000 . 387086) (bar_20 . 12201) (many_figs . 33286))
  "PNG bytes of matplotlib per workload from the peers' reported run.
Source: /work/shared/notes/peer-bench.md (matplotlib 3.6.3, Agg,
savefig to BytesIO; many_figs is the average PNG).  `make bench-peers'
measures them again on this machine.")

;;;; Declarations (orgfig is loaded by the batch entry points)

(defvar org-confirm-babel-evaluate)
(declare-function org-babel-execute-src-block "ob-core" (&rest args))
(declare-function orgfig-figure "orgfig" (&rest props))
(declare-function orgfig-figures "orgfig" ())
(declare-function orgfig-line "orgfig" (fig x y &rest props))
(declare-function orgfig-scatter "orgfig" (fig x y &rest props))
(declare-function orgfig-hist "orgfig" (fig data &rest props))
(declare-function orgfig-heatmap "orgfig" (fig matrix &rest props))
(declare-function orgfig-bar "orgfig" (fig labels values &rest props))
(declare-function orgfig-set "orgfig" (fig &rest props))
(declare-function orgfig-render "orgfig" (fig &optional format small))
(declare-function orgfig-close "orgfig" (obj))
(declare-function orgfig-pack "orgfig" (seq &optional type))
(declare-function orgfig-memory "orgfig" ())
(declare-function orgfig-read-binary "orgfig" (file &rest props))
(declare-function orgfig-read-csv "orgfig" (file &rest props))
(declare-function orgfig-column "orgfig" (dataset key))
(declare-function orgfig--mod-reset-peak "ext:orgfig-module.c" ())

;;;; Small utilities

(defun orgfig-bench--now ()
  "Return the current time as float seconds."
  (float-time))

(defun orgfig-bench--median (xs)
  "Return the median of the numbers XS."
  (let* ((s (sort (copy-sequence xs) #'<)) (n (length s)))
    (if (cl-oddp n) (nth (/ n 2) s)
      (/ (+ (nth (1- (/ n 2)) s) (nth (/ n 2) s)) 2.0))))

(defun orgfig-bench--proc-status (key &optional pid)
  "Return the value in kB of KEY (e.g. \"VmHWM\") in /proc/PID/status.
PID defaults to self."
  (with-temp-buffer
    (insert-file-contents (format "/proc/%s/status" (or pid "self")))
    (when (re-search-forward (concat "^" key ":[ \t]*\\([0-9]+\\)") nil t)
      (string-to-number (match-string 1)))))

(defun orgfig-bench--reset-hwm ()
  "Reset this process's peak RSS mark to its current RSS; non-nil on success."
  (condition-case nil
      (progn (write-region "5" nil "/proc/self/clear_refs" nil 'silent) t)
    (error nil)))

(defun orgfig-bench--fmt-ms (x)
  "Format X milliseconds for the tables."
  (cond ((null x) "-")
        ((< x 10) (format "%.2f" x))
        ((< x 1000) (format "%.1f" x))
        (t (orgfig-bench--commas (round x)))))

(defun orgfig-bench--commas (n)
  "Format the integer N with thousands separators."
  (let ((digits (number-to-string (abs n))) (acc ""))
    (while (> (length digits) 3)
      (setq acc (concat "," (substring digits -3) acc)
            digits (substring digits 0 -3)))
    (concat (if (< n 0) "-" "") digits acc)))

(defun orgfig-bench--mb (kb)
  "Format KB kilobytes as megabytes."
  (if kb (format "%.1f" (/ kb 1024.0)) "-"))

(defvar orgfig-bench--out nil
  "Lines printed so far, newest first (also written to build/bench.md).")

(defun orgfig-bench--say (fmt &rest args)
  "Print FMT with ARGS as one line on stdout and keep it for the report."
  (let ((line (apply #'format fmt args)))
    (push line orgfig-bench--out)
    (princ (concat line "\n"))))

(defun orgfig-bench--note (fmt &rest args)
  "Print FMT with ARGS on stderr as progress (not part of the report)."
  (let ((inhibit-message nil))
    (message "bench: %s" (apply #'format fmt args))))

;;;; Seeded data generator (hot loops; compiled at load time)

(defun orgfig-bench--rng (seed)
  "Return a fresh xorshift128 state vector seeded from the integer SEED.
The four 32-bit words are filled by a 32-bit LCG and made non-zero; the
first 64 outputs are dropped."
  (let ((s (logand seed #xFFFFFFFF)) (st (make-vector 4 0)))
    (dotimes (i 4)
      (setq s (logand (+ (* s 1664525) 1013904223) #xFFFFFFFF))
      (aset st i (if (zerop s) (+ i 1) s)))
    (dotimes (_ 64) (orgfig-bench--u32 st))
    st))

(defun orgfig-bench--u32 (st)
  "Advance the xorshift128 state ST and return 32 random bits."
  (let* ((x (aref st 0))
         (tt (logand #xFFFFFFFF (logxor x (ash x 11))))
         (w (aref st 3)))
    (aset st 0 (aref st 1))
    (aset st 1 (aref st 2))
    (aset st 2 w)
    (let ((r (logand #xFFFFFFFF (logxor w (ash w -19) tt (ash tt -8)))))
      (aset st 3 r)
      r)))

(defun orgfig-bench--fill-normal (st v start n)
  "Store N standard normal samples from ST into vector V from START.
Box-Muller: pairs from two uniforms, u1 in (0,1], u2 in [0,1)."
  (let ((i start) (end (+ start n)))
    (while (< i end)
      (let* ((u1 (/ (+ (orgfig-bench--u32 st) 1.0) 4294967296.0))
             (u2 (/ (orgfig-bench--u32 st) 4294967296.0))
             (r (sqrt (* -2.0 (log u1))))
             (th (* 6.283185307179586 u2)))
        (aset v i (* r (cos th)))
        (when (< (1+ i) end) (aset v (1+ i) (* r (sin th))))
        (setq i (+ i 2))))
    v))

(defun orgfig-bench--fill-uniform (st v lo hi)
  "Fill vector V with uniform samples in [LO, HI) from ST."
  (let ((i 0) (n (length v)) (w (- hi lo)))
    (while (< i n)
      (aset v i (+ lo (* w (/ (orgfig-bench--u32 st) 4294967296.0))))
      (setq i (1+ i)))
    v))

(defun orgfig-bench--cumsum (v)
  "Replace the numbers in vector V by their running sum; return V."
  (let ((i 0) (n (length v)) (acc 0.0))
    (while (< i n)
      (setq acc (+ acc (aref v i)))
      (aset v i acc)
      (setq i (1+ i)))
    v))

(defun orgfig-bench--iota (n)
  "Return a vector of the N floats 0.0, 1.0, ... (N minus one)."
  (let ((v (make-vector n 0.0)) (i 0))
    (while (< i n) (aset v i (float i)) (setq i (1+ i)))
    v))

(defun orgfig-bench--field-row (st i n)
  "Return row I (of N) of the heatmap field: sin*cos plus 0.25*N(0,1) from ST."
  (let ((row (orgfig-bench--fill-normal st (make-vector n 0.0) 0 n))
        (cy (cos (/ (* 6.283185307179586 2.0 i) n)))
        (j 0))
    (while (< j n)
      (aset row j (+ (* (sin (/ (* 6.283185307179586 3.0 j) n)) cy)
                     (* 0.25 (aref row j))))
      (setq j (1+ j)))
    row))

(defun orgfig-bench--encode (v str ncols col)
  "Write the floats of V as float64 little-endian into unibyte STR.
Value I goes to byte offset (I*NCOLS + COL)*8.  Finite values only; the
IEEE bits are assembled from `frexp', as Emacs has no float-to-bytes."
  (let ((n (length v)) (i 0) (stride (* 8 ncols)) (p (* 8 col)))
    (while (< i n)
      (let ((x (float (aref v i))))
        (if (= x 0.0)
            (dotimes (k 8) (aset str (+ p k) 0))
          (let* ((fe (frexp (abs x)))
                 (e (+ (cdr fe) 1022))
                 (f (truncate (* (- (* 2.0 (car fe)) 1.0) 4503599627370496.0))))
            (aset str p (logand f 255))
            (aset str (+ p 1) (logand (ash f -8) 255))
            (aset str (+ p 2) (logand (ash f -16) 255))
            (aset str (+ p 3) (logand (ash f -24) 255))
            (aset str (+ p 4) (logand (ash f -32) 255))
            (aset str (+ p 5) (logand (ash f -40) 255))
            (aset str (+ p 6) (logior (logand (ash f -48) 15) (logand (ash e 4) 255)))
            (aset str (+ p 7) (logior (ash e -4) (if (< x 0) 128 0))))))
      (setq i (1+ i) p (+ p stride)))))

(defvar orgfig-bench--lisp "interpreted"
  "How orgfig's own Lisp was loaded: byte-compiled or interpreted.")

(defvar orgfig-bench--compiled nil
  "How the generator was compiled: native, byte, or nil (not yet).")

(defun orgfig-bench--compile-generator ()
  "Compile the generator's hot functions natively if possible, else to bytecode."
  (unless orgfig-bench--compiled
    (let ((fns '(orgfig-bench--u32 orgfig-bench--fill-normal
                                   orgfig-bench--fill-uniform orgfig-bench--cumsum
                                   orgfig-bench--iota orgfig-bench--field-row
                                   orgfig-bench--encode))
          (t0 (orgfig-bench--now)))
      (setq orgfig-bench--compiled
            (if (and (fboundp 'native-compile) (fboundp 'native-comp-available-p)
                     (native-comp-available-p)
                     (condition-case err
                         (let ((inhibit-message t))
                           (require 'comp)
                           (dolist (f fns) (native-compile f))
                           t)
                       (error (orgfig-bench--note "native-compile failed: %S" err)
                              nil)))
                'native
              (dolist (f fns) (byte-compile f))
              'byte))
      (orgfig-bench--note "generator compiled (%s) in %.1f s"
                          orgfig-bench--compiled (- (orgfig-bench--now) t0)))))

(defun orgfig-bench--normals (seed n)
  "Return a vector of N standard normal samples from SEED."
  (orgfig-bench--fill-normal (orgfig-bench--rng seed) (make-vector n 0.0) 0 n))

(defun orgfig-bench--walk (seed n)
  "Return a random walk of length N (cumulative sum of normals) from SEED."
  (orgfig-bench--cumsum (orgfig-bench--normals seed n)))

;;;; The data of each workload

(defun orgfig-bench--size (name)
  "Return the number of points of workload NAME."
  (pcase name
    ('line_1k 1000) ('line_100k 100000) ('line_1m 1000000) ('line_10m 10000000)
    ('scatter_100k 100000) ('scatter_1m 1000000) ('hist_1m 1000000)
    ('heatmap_1000 1000000) ('bar_20 20) ('many_figs 100000) ('org_block_1k 1000)))

(defun orgfig-bench--generate (name)
  "Generate the data of workload NAME.
Return a plist: :cols, a list of vectors written interleaved to the
data file (the heatmap: one vector of rows), and extra keys per kind."
  (orgfig-bench--compile-generator)
  (let ((gc-cons-threshold (* 1024 1024 1024))
        (n (orgfig-bench--size name))
        (seed (+ orgfig-bench-seed
                 (* 1000 (or (cl-position name orgfig-bench-all-workloads) 99)))))
    (pcase name
      ((or 'line_1k 'line_100k 'line_1m 'line_10m 'org_block_1k)
       (list :cols (list (orgfig-bench--iota n) (orgfig-bench--walk seed n))))
      ((or 'scatter_100k 'scatter_1m)
       (list :cols (list (orgfig-bench--normals seed n)
                         (orgfig-bench--normals (1+ seed) n))))
      ('hist_1m (list :cols (list (orgfig-bench--normals seed n))))
      ('heatmap_1000
       (let ((st (orgfig-bench--rng seed)) (rows (make-vector 1000 nil)))
         (dotimes (i 1000) (aset rows i (orgfig-bench--field-row st i 1000)))
         (list :rows rows)))
      ('bar_20
       (list :labels (vconcat (mapcar (lambda (i) (format "cat%02d" i)) (number-sequence 0 19)))
             :cols (list (orgfig-bench--fill-uniform (orgfig-bench--rng seed)
                                                     (make-vector 20 0.0) 1.0 10.0))))
      ('many_figs
       (let ((walks (make-vector 1000 nil)) (st (orgfig-bench--rng seed)))
         (dotimes (i 1000)
           (aset walks i (orgfig-bench--cumsum
                          (orgfig-bench--fill-normal st (make-vector 100 0.0) 0 100))))
         (list :walks walks))))))

(defun orgfig-bench--file (name &optional ext)
  "Return the data file of workload NAME (extension EXT, default bin)."
  (expand-file-name (format "%s.%s" name (or ext "bin")) orgfig-bench-dir))

(defun orgfig-bench--file-vectors (data)
  "Return (NCOLS . VECTORS) to write for the generated DATA."
  (cond ((plist-get data :rows)
         (cons 1 (list (apply #'vconcat (append (plist-get data :rows) nil)))))
        ((plist-get data :walks)
         (cons 1 (list (apply #'vconcat (append (plist-get data :walks) nil)))))
        (t (cons (length (plist-get data :cols)) (plist-get data :cols)))))

(defun orgfig-bench--ensure-dir ()
  "Create `orgfig-bench-dir'; drop its files if they are from another version."
  (let ((stamp (expand-file-name "VERSION" orgfig-bench-dir))
        (want (format "orgfig-bench data v%d seed %d\n"
                      orgfig-bench-data-version orgfig-bench-seed)))
    (make-directory orgfig-bench-dir t)
    (unless (and (file-exists-p stamp)
                 (equal want (with-temp-buffer (insert-file-contents stamp)
                                               (buffer-string))))
      (dolist (f (directory-files orgfig-bench-dir t "\\.\\(bin\\|csv\\|txt\\)\\'"))
        (delete-file f))
      (with-temp-file stamp (insert want)))))

(defun orgfig-bench--write-files (name data)
  "Write the data files of workload NAME from DATA unless they exist.
Writes NAME.bin (float64 little-endian, columns interleaved), a CSV
for workloads of at most 1M rows with numeric columns, and bar_20.txt
for gnuplot."
  (orgfig-bench--ensure-dir)
  (let* ((bin (orgfig-bench--file name))
         (spec (orgfig-bench--file-vectors data))
         (ncols (car spec)) (vecs (cdr spec))
         (rows (length (car vecs)))
         (bytes (* 8 ncols rows)))
    (unless (and (file-exists-p bin)
                 (= bytes (file-attribute-size (file-attributes bin))))
      (let ((t0 (orgfig-bench--now))
            (str (make-string bytes 0))
            (coding-system-for-write 'binary))
        (cl-loop for v in vecs for c from 0 do (orgfig-bench--encode v str ncols c))
        (write-region str nil bin nil 'silent)
        (orgfig-bench--note "wrote %s (%d bytes) in %.1f s" bin bytes
                            (- (orgfig-bench--now) t0))))
    (when (and (<= rows 1000000) (plist-get data :cols)
               (memq name '(line_1k line_100k line_1m scatter_100k scatter_1m hist_1m)))
      (let ((csv (orgfig-bench--file name "csv")))
        (unless (file-exists-p csv)
          (with-temp-file csv
            (insert (if (= ncols 2) "x,y\n" "x\n"))
            (dotimes (i rows)
              (insert (number-to-string (aref (car vecs) i)))
              (when (= ncols 2)
                (insert "," (number-to-string (aref (cadr vecs) i))))
              (insert "\n"))))))
    (when (eq name 'bar_20)
      (let ((txt (orgfig-bench--file name "txt")))
        (unless (file-exists-p txt)
          (with-temp-file txt
            (cl-loop for l across (plist-get data :labels)
                     for v across (car (plist-get data :cols))
                     do (insert (format "%s %.17g\n" l v)))))))))

;;;; orgfig calls

(defun orgfig-bench--available-p (fn)
  "Return non-nil when the function FN exists."
  (fboundp fn))

(defun orgfig-bench--read-binary (file ncols)
  "Read FILE (NCOLS interleaved float64 columns) with `orgfig-read-binary'.
Return the list of columns."
  (let ((ds (orgfig-read-binary file :columns ncols)))
    (prog1 (cl-loop for i below ncols collect (orgfig-column ds i))
      (orgfig-close ds))))

(defun orgfig-bench--read-csv (file ncols)
  "Read FILE (NCOLS columns) with `orgfig-read-csv'; return the columns."
  (let ((ds (orgfig-read-csv file)))
    (prog1 (cl-loop for i below ncols collect (orgfig-column ds i))
      (orgfig-close ds))))

(defun orgfig-bench--kind (name)
  "Return the plot kind (a symbol) workload NAME needs."
  (pcase name
    ((or 'line_1k 'line_100k 'line_1m 'line_10m 'many_figs 'org_block_1k) 'line)
    ((or 'scatter_100k 'scatter_1m) 'scatter)
    ('hist_1m 'hist) ('heatmap_1000 'heatmap) ('bar_20 'bar)))

(defun orgfig-bench--plot (name fig cols data)
  "Draw workload NAME on FIG from the columns COLS (and DATA); return FIG."
  (pcase (orgfig-bench--kind name)
    ('line (orgfig-line fig (nth 0 cols) (nth 1 cols)))
    ('scatter (orgfig-scatter fig (nth 0 cols) (nth 1 cols) :size 1))
    ('hist (orgfig-hist fig (nth 0 cols) :bins 50))
    ('heatmap (orgfig-heatmap fig cols :cmap 'viridis :colorbar t))
    ('bar (orgfig-bar fig (plist-get data :labels) (nth 0 cols)))))

(defun orgfig-bench--probe (kind)
  "Return nil if plot KIND renders on a tiny figure, else the error message."
  (condition-case err
      (let ((fig (orgfig-figure :width 80 :height 60)))
        (unwind-protect
            (progn
              (pcase kind
                ('line (orgfig-line fig nil [1 2 3]))
                ('scatter (orgfig-scatter fig [1 2 3] [3 1 2]))
                ('hist (orgfig-hist fig [1 2 2 3]))
                ('heatmap (orgfig-heatmap fig [[1 2] [3 4]]))
                ('bar (orgfig-bar fig ["a" "b"] [1 2])))
              (orgfig-render fig)
              nil)
          (orgfig-close fig)))
    (error (error-message-string err))))

(defun orgfig-bench--png-size (png)
  "Return (WIDTH . HEIGHT) from the IHDR of the PNG string, or nil."
  (when (and (stringp png) (> (length png) 24)
             (string= (substring png 1 4) "PNG"))
    (cl-flet ((u32 (o) (+ (ash (aref png o) 24) (ash (aref png (+ o 1)) 16)
                          (ash (aref png (+ o 2)) 8) (aref png (+ o 3)))))
      (cons (u32 16) (u32 20)))))

(defun orgfig-bench--columns (name data)
  "Pack the generated DATA of workload NAME into columns.
Return (COLUMNS . MS) where MS is the median time `orgfig-pack' took
over 3 rounds (the columns of the last round are returned; the others
become garbage)."
  (let (cols times)
    (dotimes (_ 3)
      (setq cols nil)
      (garbage-collect)
      (let ((t0 (orgfig-bench--now)))
        (setq cols (if (plist-get data :rows)
                       (cl-loop for r across (plist-get data :rows) collect (orgfig-pack r))
                     (mapcar #'orgfig-pack (plist-get data :cols))))
        (push (* 1000 (- (orgfig-bench--now) t0)) times)))
    (ignore name)
    (cons (if (plist-get data :rows) (vconcat cols) cols)
          (orgfig-bench--median times))))

(defun orgfig-bench--time-reps (name cols data reps)
  "Time REPS renders of workload NAME from COLS and DATA.
Return a plist :ms (list), :build (list), :png (bytes of the last PNG),
:size (WIDTH . HEIGHT) and :gcs (collections during timed regions)."
  (let (ms build cpu png small-ms small-png equal-png (gcs 0) (gc-ms 0.0))
    (dotimes (_ reps)
      (garbage-collect)
      (let* ((g0 gcs-done) (ge0 gc-elapsed)
             (c0 (get-internal-run-time))
             (t0 (orgfig-bench--now))
             (fig (orgfig-figure :width 800 :height 600 :scale 1))
             (_ (orgfig-bench--plot name fig cols data))
             (t1 (orgfig-bench--now))
             (out (orgfig-render fig))
             (t2 (orgfig-bench--now))
             (c1 (get-internal-run-time)))
        (setq gcs (+ gcs (- gcs-done g0))
              gc-ms (+ gc-ms (* 1000 (- gc-elapsed ge0))))
        (push (* 1000 (float-time (time-subtract c1 c0))) cpu)
        (push (* 1000 (- t2 t0)) ms)
        (push (* 1000 (- t1 t0)) build)
        (setq png out)
        (when (= (length ms) reps)
          ;; Untimed by the rep: the smaller, slower preset meant for files.
          (let* ((s0 (orgfig-bench--now))
                 (small (orgfig-render fig 'png t)))
            (setq small-ms (* 1000 (- (orgfig-bench--now) s0))
                  small-png (length small))
            (orgfig-bench--save-png name "" png)
            (orgfig-bench--save-png name "-small" small)
            (when (eq name 'heatmap_1000)
              ;; bench/peers.py reads the heatmap's pixel boxes from it.
              (orgfig-bench--ensure-dir)
              (let ((coding-system-for-write 'binary))
                (write-region png nil (orgfig-bench--file "orgfig_heatmap_1000" "png")
                              nil 'silent))
              ;; Again with square cells, as matplotlib's imshow draws it
              ;; (untimed).
              (orgfig-set fig :aspect 'equal)
              (setq equal-png (cons (length (orgfig-render fig))
                                    (length (orgfig-render fig 'png t)))))))
        (orgfig-close fig)))
    (list :ms (nreverse ms) :build (nreverse build) :cpu (nreverse cpu)
          :png (length png) :small-png small-png :small-ms small-ms
          :size (orgfig-bench--png-size png) :gcs gcs :gc-ms gc-ms
          :equal-png equal-png)))

(defun orgfig-bench--save-png (name suffix png)
  "Write PNG as NAME SUFFIX.png in $ORGFIG_BENCH_PNG_DIR, if that is set."
  (let ((dir (getenv "ORGFIG_BENCH_PNG_DIR")))
    (when (and dir (not (string-empty-p dir)))
      (make-directory dir t)
      (let ((coding-system-for-write 'binary))
        (write-region png nil (expand-file-name
                               (format "%s%s.png" name suffix) dir)
                      nil 'silent)))))

(defun orgfig-bench--load-times (name data)
  "Time loading workload NAME's file with the data readers, if they exist.
DATA is the generated data.  Return a plist :binary MS :csv MS."
  (let ((ncols (car (orgfig-bench--file-vectors data)))
        res)
    (when (orgfig-bench--available-p 'orgfig-read-binary)
      (condition-case err
          (let ((t0 (orgfig-bench--now)))
            (orgfig-bench--read-binary (orgfig-bench--file name) ncols)
            (setq res (plist-put res :binary (* 1000 (- (orgfig-bench--now) t0)))))
        (error (setq res (plist-put res :binary-error (error-message-string err))))))
    (when (and (orgfig-bench--available-p 'orgfig-read-csv)
               (file-exists-p (orgfig-bench--file name "csv")))
      (condition-case err
          (let ((t0 (orgfig-bench--now)))
            (orgfig-bench--read-csv (orgfig-bench--file name "csv") ncols)
            (setq res (plist-put res :csv (* 1000 (- (orgfig-bench--now) t0)))))
        (error (setq res (plist-put res :csv-error (error-message-string err))))))
    res))

;;;; Workloads

(defvar orgfig-bench--results nil
  "Alist (WORKLOAD . PLIST) of this run's results.")

(defun orgfig-bench--run-single (name)
  "Run the single-plot workload NAME; return its result plist."
  (let* ((kind (orgfig-bench--kind name))
         (why (orgfig-bench--probe kind)))
    (if why
        (list :na (format "n/a (%s not available: %s)" kind why))
      (let* ((t0 (orgfig-bench--now))
             (data (orgfig-bench--generate name))
             (gen-s (- (orgfig-bench--now) t0)))
        (orgfig-bench--write-files name data)
        (let* ((packed (orgfig-bench--columns name data))
               (loads (orgfig-bench--load-times name data)))
          ;; Drop the Lisp vectors before timing: the data is in columns
          ;; now, and a garbage collection during a rep would otherwise
          ;; mark millions of the harness's own floats.
          (setq data (list :labels (plist-get data :labels)))
          (garbage-collect)
          (let ((reps (orgfig-bench--time-reps name (car packed) data
                                               orgfig-bench-reps)))
            (append reps loads
                    (list :pack (cdr packed) :gen gen-s
                          :hwm (orgfig-bench--proc-status "VmHWM")))))))))

(defun orgfig-bench--run-many-figs ()
  "Run many_figs: 1000 x (800x600 figure, 100-point line, PNG, close)."
  (let ((why (orgfig-bench--probe 'line)))
    (if why
        (list :na (format "n/a (line not available: %s)" why))
      (let* ((data (orgfig-bench--generate 'many_figs))
             (walks (plist-get data :walks))
             (rss nil) (chunks nil) (bytes 0)
             (g0 gcs-done))
        (orgfig-bench--write-files 'many_figs data)
        (garbage-collect)
        (let ((t0 (orgfig-bench--now)) (tc (orgfig-bench--now))
              (c0 (get-internal-run-time)))
          (dotimes (i 1000)
            (let ((fig (orgfig-figure :width 800 :height 600 :scale 1)))
              (orgfig-line fig nil (aref walks i))
              (setq bytes (+ bytes (length (orgfig-render fig))))
              (orgfig-close fig))
            (when (zerop (% (1+ i) 100))
              (push (orgfig-bench--proc-status "VmRSS") rss)
              (push (* 1000 (- (orgfig-bench--now) tc)) chunks)
              (setq tc (orgfig-bench--now))))
          (list :total-s (- (orgfig-bench--now) t0)
                :cpu-s (float-time (time-subtract (get-internal-run-time) c0))
                :rss (nreverse rss) :chunks (nreverse chunks)
                :png (/ bytes 1000) :gcs (- gcs-done g0)
                :open (length (orgfig-figures))))))))

(defvar orgfig-bench--block-walk nil
  "The 1k-point walk that the org block workload plots.")

(defun orgfig-bench--run-org-block ()
  "Run org_block_1k: a 1k-point line block through org-babel with insertion."
  (cond
   ((not (require 'ob-orgfig nil t))
    (list :na "n/a (ob-orgfig not available)"))
   ((orgfig-bench--probe 'line)
    (list :na (format "n/a (line not available: %s)" (orgfig-bench--probe 'line))))
   (t
    (setq orgfig-bench--block-walk
          (cadr (plist-get (orgfig-bench--generate 'org_block_1k) :cols)))
    (let ((org-confirm-babel-evaluate nil)
          (src (concat "#+begin_src orgfig :width 800 :height 600\n"
                       "(orgfig-line fig nil orgfig-bench--block-walk)\n"
                       "#+end_src\n"))
          ms cpu png err)
      (with-temp-buffer
        (org-mode)
        (insert src)
        (dotimes (_ orgfig-bench-reps)
          (garbage-collect)
          (goto-char (point-min))
          (condition-case e
              (let ((t0 (orgfig-bench--now)) (c0 (get-internal-run-time)))
                (let ((inhibit-message t))
                  (org-babel-execute-src-block))
                (push (* 1000 (- (orgfig-bench--now) t0)) ms)
                (push (* 1000 (float-time (time-subtract (get-internal-run-time) c0)))
                      cpu))
            (error (setq err (error-message-string e)))))
        (setq png (orgfig-bench--block-result-bytes)))
      (if (and err (null ms))
          (list :na (format "n/a (org block failed: %s)" err))
        (list :ms (nreverse ms) :cpu (nreverse cpu) :png png :error err))))))

(defun orgfig-bench--block-result-bytes ()
  "Return the PNG bytes of the result the block inserted, or nil.
Looks for an image display property or a link to a file after the block."
  (save-excursion
    (goto-char (point-min))
    (or (cl-loop for ov in (overlays-in (point-min) (point-max))
                 for disp = (overlay-get ov 'display)
                 when (and (consp disp) (eq (car disp) 'image))
                 return (let ((d (plist-get (cdr disp) :data))
                              (f (plist-get (cdr disp) :file)))
                          (cond (d (length d))
                                ((and f (file-exists-p f))
                                 (file-attribute-size (file-attributes f))))))
        (when (re-search-forward "\\[\\[file:\\([^]]+\\.png\\)\\]" nil t)
          (let ((f (match-string 1)))
            (when (file-exists-p f) (file-attribute-size (file-attributes f))))))))

;;;; Child Emacs: peak memory of one heavy workload

(defun orgfig-bench--child-command (form)
  "Return the argv of a child batch Emacs evaluating FORM."
  (list (expand-file-name invocation-name invocation-directory)
        "-Q" "--batch" "-L" (file-name-directory (locate-library "orgfig"))
        "-l" (expand-file-name "bench/bench.el" orgfig-bench-root)
        "--eval" (prin1-to-string form)))

(defun orgfig-bench-child (name)
  "In a child Emacs: load workload NAME's columns, render once, print memory.
The data comes from the file through `orgfig-read-binary' when it
exists (no Lisp vectors at all), else it is generated and packed and
the vectors are collected.  Then the peak-RSS mark is reset, one rep
runs, and a plist is printed on a line starting with ORGFIG-BENCH-CHILD."
  (require 'orgfig)
  (let* ((name (if (stringp name) (intern name) name))
         (ncols (if (eq name 'hist_1m) 1 2))
         cols source data)
    (when (eq name 'heatmap_1000) (setq ncols 0))
    (setq cols
          (or (and (> ncols 0) (orgfig-bench--available-p 'orgfig-read-binary)
                   (condition-case nil
                       (prog1 (orgfig-bench--read-binary (orgfig-bench--file name) ncols)
                         (setq source "read-binary"))
                     (error nil)))
              (progn
                (setq data (orgfig-bench--generate name) source "pack")
                (car (orgfig-bench--columns name data)))))
    (when data (setq data (list :labels (plist-get data :labels))))
    (garbage-collect)
    (let* ((hwm-load (orgfig-bench--proc-status "VmHWM"))
           (input (plist-get (orgfig-memory) :bytes))
           (reset (orgfig-bench--reset-hwm))
           (rss0 (orgfig-bench--proc-status "VmRSS"))
           (_ (orgfig--mod-reset-peak))
           (reps (orgfig-bench--time-reps name cols data 1))
           (hwm (orgfig-bench--proc-status "VmHWM"))
           (peak (plist-get (orgfig-memory) :peak-bytes)))
      (princ (format "ORGFIG-BENCH-CHILD %S\n"
                     (list :source source :input-bytes input :reset reset
                           :rss-before rss0 :hwm-after hwm :hwm-load hwm-load
                           :counted-peak peak :ms (car (plist-get reps :ms))))))))

(defun orgfig-bench--run-child (name)
  "Run workload NAME in a child Emacs; return its memory plist or (:error MSG)."
  (with-temp-buffer
    (let* ((argv (orgfig-bench--child-command `(orgfig-bench-child ',name)))
           (status (apply #'call-process (car argv) nil t nil (cdr argv))))
      (goto-char (point-min))
      (if (re-search-forward "^ORGFIG-BENCH-CHILD \\(.*\\)$" nil t)
          (car (read-from-string (match-string 1)))
        (list :error (format "exit %s: %s" status
                             (string-trim (buffer-substring (max (point-min) (- (point-max) 400))
                                                            (point-max)))))))))

;;;; Report

(defun orgfig-bench--row (name r)
  "Return the markdown table row of workload NAME with result plist R."
  (if (plist-get r :na)
      (format "| %s | %s | | | | | | | | |" name (plist-get r :na))
    (let ((ms (plist-get r :ms)))
      (format "| %s | %s (%d, %s-%s) | %s | %s | %s | %s | %s | %s | %s | %s |"
              name (orgfig-bench--fmt-ms (orgfig-bench--median ms)) (length ms)
              (orgfig-bench--fmt-ms (apply #'min ms)) (orgfig-bench--fmt-ms (apply #'max ms))
              (if (plist-get r :cpu)
                  (orgfig-bench--fmt-ms (orgfig-bench--median (plist-get r :cpu)))
                "-")
              (if (plist-get r :build)
                  (orgfig-bench--fmt-ms (orgfig-bench--median (plist-get r :build)))
                "-")
              (if (plist-get r :pack) (orgfig-bench--fmt-ms (plist-get r :pack)) "-")
              (cond ((plist-get r :binary) (orgfig-bench--fmt-ms (plist-get r :binary)))
                    ((plist-get r :binary-error) "error")
                    (t "n/a"))
              (cond ((plist-get r :csv) (orgfig-bench--fmt-ms (plist-get r :csv)))
                    ((plist-get r :csv-error) "error")
                    (t "-"))
              (if (plist-get r :png) (orgfig-bench--commas (plist-get r :png)) "-")
              (if (plist-get r :small-png)
                  (format "%s (%s ms)" (orgfig-bench--commas (plist-get r :small-png))
                          (orgfig-bench--fmt-ms (plist-get r :small-ms)))
                "-")
              (let ((sz (plist-get r :size)) (g (plist-get r :gcs)))
                (string-join
                 (delq nil (list (and sz (format "%dx%d" (car sz) (cdr sz)))
                                 (and g (> g 0) (format "%d GCs (%.0f ms) in the timed reps"
                                                       g (plist-get r :gc-ms)))
                                 (when-let ((e (plist-get r :equal-png)))
                                   (format "with :aspect equal (square cells, as imshow): %s bytes, small preset %s"
                                           (orgfig-bench--commas (car e))
                                           (orgfig-bench--commas (cdr e))))
                                 (plist-get r :error)))
                 "; "))))))

(defun orgfig-bench--goal-rows (results mem)
  "Return the goal table rows for RESULTS and the child memory alist MEM."
  (let (rows)
    (dolist (g orgfig-bench-goals)
      (let* ((name (car g)) (r (cdr (assq name results)))
             (med (and r (plist-get r :ms) (orgfig-bench--median (plist-get r :ms)))))
        (let ((cpu (and med (plist-get r :cpu) (orgfig-bench--median (plist-get r :cpu)))))
          (push (format "| %s median render+encode | <= %d ms | %s | %s | %s |"
                        name (cadr g)
                        (if med (format "%s ms (CPU %s ms)" (orgfig-bench--fmt-ms med)
                                        (orgfig-bench--fmt-ms cpu))
                          (or (plist-get r :na) "not run"))
                        (cond ((null med) "n/a")
                              ((<= med (cadr g)) "yes")
                              (t (format "NO (%.1fx the goal)" (/ med (cadr g)))))
                        (cond ((null cpu) "n/a")
                              ((<= cpu (cadr g)) "yes")
                              (t (format "NO (%.1fx)" (/ cpu (cadr g))))))
                rows))))
    (let ((m (cdr (assq 'line_10m mem))))
      (push (if (and m (plist-get m :input-bytes) (plist-get m :hwm-after))
                (let* ((input (plist-get m :input-bytes))
                       (growth (* 1024 (- (plist-get m :hwm-after) (plist-get m :rss-before))))
                       (ratio (/ (+ input growth) (float input))))
                  (format "| line_10m peak memory | <= 1.2x input (%.0f MB) | %.2fx (input + %.1f MB RSS growth while rendering; orgfig counted peak %.1f MB) | %s | |"
                          (/ input 1048576.0) ratio (/ growth 1048576.0)
                          (/ (plist-get m :counted-peak) 1048576.0)
                          (if (<= ratio 1.2) "yes" "NO")))
              (format "| line_10m peak memory | <= 1.2x input | %s | n/a | |"
                      (or (plist-get m :error) "not measured")))
            rows))
    (let ((r (cdr (assq 'many_figs results))))
      (if (or (null r) (plist-get r :na))
          (push (format "| many_figs 1000 figures | <= 5 s, flat RSS | %s | n/a | |"
                        (or (plist-get r :na) "not run"))
                rows)
        (let* ((s (plist-get r :total-s)) (rss (plist-get r :rss))
               (growth (- (car (last rss)) (car rss))))
          (push (format "| many_figs 1000 figures | <= 5 s | %.2f s (CPU %.2f s) | %s | %s |" s
                        (plist-get r :cpu-s)
                        (if (<= s 5) "yes" (format "NO (%.1fx)" (/ s 5)))
                        (if (<= (plist-get r :cpu-s) 5) "yes"
                          (format "NO (%.1fx)" (/ (plist-get r :cpu-s) 5))))
                rows)
          (push (format "| many_figs RSS | flat (<= 5 MB growth fig 100 -> 1000) | %+.1f MB (%s -> %s MB) | %s | |"
                        (/ growth 1024.0) (orgfig-bench--mb (car rss))
                        (orgfig-bench--mb (car (last rss)))
                        (if (<= growth 5120) "yes" "NO"))
                rows))))
    (let (worst)
      ;; orgfig-pack of the generated Lisp vectors (validation included),
      ;; per value, for the workloads of 100k values or more.
      (pcase-dolist (`(,name . ,ncols) '((line_100k . 2) (line_1m . 2) (line_10m . 2)
                                         (scatter_100k . 2) (scatter_1m . 2)
                                         (hist_1m . 1) (heatmap_1000 . 1)))
        (let* ((r (cdr (assq name results))) (ms (and r (plist-get r :pack))))
          (when ms
            (let ((ns (/ (* ms 1e6) (* ncols (orgfig-bench--size name)))))
              (when (or (null worst) (> ns (cdr worst)))
                (setq worst (cons name ns)))))))
      (push (if worst
                (format "| orgfig-pack of Lisp vectors, per value | <= 60 ns | %.1f ns (worst: %s) | %s | |"
                        (cdr worst) (car worst) (if (<= (cdr worst) 60) "yes" "NO"))
              "| orgfig-pack of Lisp vectors, per value | <= 60 ns | not run | n/a | |")
            rows))
    (dolist (key '(:png :small-png))
      (let (over met (n 0))
        (dolist (p orgfig-bench-mpl-png)
          (let* ((r (cdr (assq (car p) results))) (b (and r (plist-get r key))))
            (when b
              (cl-incf n)
              (if (<= b (cdr p)) (push (car p) met)
                (push (format "%s %s > %s%s" (car p) (orgfig-bench--commas b)
                              (orgfig-bench--commas (cdr p))
                              (if (eq (car p) 'heatmap_1000)
                                  " (matplotlib's imshow keeps square cells in a smaller box; `make bench-peers' also compares the same picture)"
                                ""))
                      over)))))
        (push (format "| PNG bytes%s <= matplotlib's (peer-bench.md) | each workload | %d of %d at or below%s | %s | |"
                      (if (eq key :png) " (default preset)" " (small preset, for files)")
                      (length met) n
                      (if over (concat "; over: " (string-join (nreverse over) ", ")) "")
                      (cond ((zerop n) "n/a") (over "NO") (t "yes")))
              rows)))
    (nreverse rows)))

(defun orgfig-bench--machine ()
  "Return a one-line description of the machine and its load."
  (format "%s; nproc %s; load %s; Emacs %s; generator %s; orgfig's Lisp %s"
          (format-time-string "%Y-%m-%d %H:%M %Z")
          (string-trim (shell-command-to-string "nproc"))
          (string-trim (with-temp-buffer (insert-file-contents "/proc/loadavg")
                                         (buffer-string)))
          emacs-version orgfig-bench--compiled orgfig-bench--lisp))

(defun orgfig-bench--report (results mem)
  "Print the tables for RESULTS and MEM and write build/bench.md."
  (orgfig-bench--say "")
  (orgfig-bench--say "## orgfig benchmark (%s)" (orgfig-bench--machine))
  (orgfig-bench--say "")
  (orgfig-bench--say "800x600 PNG.  ms = in-process median of N reps of orgfig-figure + plot call + orgfig-render (draw + PNG encode), data already in columns; close + garbage-collect untimed.  CPU = median processor time of the same reps (get-internal-run-time: user + system of the whole Emacs), which other processes on the machine do not inflate.  build = figure + plot call part.  pack = orgfig-pack of the Lisp vectors, median of 3 rounds (data loading, separate).  read-binary / read-csv = loading the same data from a file in %s.  PNG bytes = the default (display) PNG; small preset = (orgfig-render FIG (quote png) t), the preset for files, rendered once after the reps." orgfig-bench-dir)
  (orgfig-bench--say "")
  (orgfig-bench--say "| workload | orgfig median ms (N, min-max) | CPU ms | build ms | pack ms | read-binary ms | read-csv ms | PNG bytes | PNG bytes, small preset (render ms) | notes |")
  (orgfig-bench--say "|---|---|---|---|---|---|---|---|---|---|")
  (dolist (name orgfig-bench-workloads)
    (let ((r (cdr (assq name results))))
      (when (and r (not (memq name '(many_figs))))
        (orgfig-bench--say "%s" (orgfig-bench--row name r)))))
  (orgfig-bench--say "")
  (when-let ((r (cdr (assq 'many_figs results))))
    (orgfig-bench--say "### many_figs: 1000 x (800x600 figure, 100-point line from a Lisp vector, PNG, orgfig-close), run first in the bench Emacs")
    (orgfig-bench--say "")
    (if (plist-get r :na)
        (orgfig-bench--say "%s" (plist-get r :na))
      (orgfig-bench--say "| total s | CPU s | per fig ms | ms per 100 figs | VmRSS MB after fig 100, 200, ..., 1000 | avg PNG bytes | GCs | open figures after |")
      (orgfig-bench--say "|---|---|---|---|---|---|---|---|")
      (orgfig-bench--say "| %.2f | %.2f | %.2f | %s | %s | %s | %d | %d |"
                         (plist-get r :total-s) (plist-get r :cpu-s) (plist-get r :total-s)
                         (mapconcat (lambda (x) (format "%.0f" x)) (plist-get r :chunks) ", ")
                         (mapconcat #'orgfig-bench--mb (plist-get r :rss) ", ")
                         (orgfig-bench--commas (plist-get r :png)) (plist-get r :gcs)
                         (plist-get r :open))))
  (orgfig-bench--say "")
  (orgfig-bench--say "### Peak memory, one child Emacs per workload")
  (orgfig-bench--say "")
  (orgfig-bench--say "Each child holds only that workload's columns (source: read-binary from the file, or pack from generated vectors that are then collected).  VmHWM = the child's whole peak RSS (Emacs itself, the data loading and one render).  Render growth = peak RSS during one rep (figure + plot + render) minus RSS before it, measured by resetting the kernel's peak mark (/proc/self/clear_refs 5) after loading.  input = bytes orgfig held before the rep (the columns).  counted peak = orgfig-memory :peak-bytes during the rep (orgfig's own allocations, not cairo/libpng internals).")
  (orgfig-bench--say "")
  (orgfig-bench--say "| workload | source | input MB | child VmHWM MB | RSS before render MB | render growth MB | counted peak MB | (input + growth) / input | ms (1 rep) |")
  (orgfig-bench--say "|---|---|---|---|---|---|---|---|---|")
  (dolist (p mem)
    (let ((m (cdr p)))
      (if (plist-get m :error)
          (orgfig-bench--say "| %s | %s | | | | | | | |" (car p) (plist-get m :error))
        (let ((input (plist-get m :input-bytes))
              (growth (- (plist-get m :hwm-after) (plist-get m :rss-before))))
          (orgfig-bench--say "| %s | %s | %.1f | %s | %s | %s%s | %.1f | %.2f | %s |"
                             (car p) (plist-get m :source) (/ input 1048576.0)
                             (orgfig-bench--mb (max (plist-get m :hwm-load) (plist-get m :hwm-after)))
                             (orgfig-bench--mb (plist-get m :rss-before))
                             (orgfig-bench--mb growth)
                             (if (plist-get m :reset) "" " (mark not reset)")
                             (/ (plist-get m :counted-peak) 1048576.0)
                             (/ (+ input (* 1024.0 growth)) input)
                             (orgfig-bench--fmt-ms (plist-get m :ms)))))))
  (orgfig-bench--say "")
  (orgfig-bench--say "Main bench Emacs VmHWM (peak RSS of the whole run, incl. Lisp data vectors): %s MB"
                     (orgfig-bench--mb (orgfig-bench--proc-status "VmHWM")))
  (orgfig-bench--say "")
  (orgfig-bench--say "### Goals (issue 5)")
  (orgfig-bench--say "")
  (orgfig-bench--say "met? judges the wall-clock median.  Other processes on the machine inflate wall time (see the load above) far more than CPU time, so \"met on CPU time?\" bounds what a quiet machine would give: CPU time counts every thread, and orgfig deflates large PNGs and stamps large scatter plots on 2 threads (orgfig-render-threads), so on a quiet 2-core machine wall time is at most CPU time and often less.")
  (orgfig-bench--say "")
  (orgfig-bench--say "| goal | target | measured | met? | met on CPU time? |")
  (orgfig-bench--say "|---|---|---|---|---|")
  (dolist (row (orgfig-bench--goal-rows results mem))
    (orgfig-bench--say "%s" row)))

(defun orgfig-bench--write-report (file)
  "Write the lines printed so far to FILE."
  (make-directory (file-name-directory file) t)
  (with-temp-file file
    (insert (string-join (reverse orgfig-bench--out) "\n") "\n")))

(defun orgfig-bench--run-all (&optional skip-memory)
  "Run every workload and return (RESULTS . MEM).
Unless SKIP-MEMORY, also measure memory in child Emacs processes."
  (let (results mem)
    ;; many_figs runs first so its RSS samples show Emacs + orgfig, not
    ;; the Lisp heap the big workloads' vectors leave behind; the report
    ;; keeps the standard order.
    (dolist (name (if (memq 'many_figs orgfig-bench-workloads)
                      (cons 'many_figs (remq 'many_figs orgfig-bench-workloads))
                    orgfig-bench-workloads))
      (orgfig-bench--note "%s..." name)
      (let ((t0 (orgfig-bench--now))
            (r (condition-case err
                   (pcase name
                     ('many_figs (orgfig-bench--run-many-figs))
                     ('org_block_1k (orgfig-bench--run-org-block))
                     (_ (orgfig-bench--run-single name)))
                 (error (list :na (format "n/a (error: %s)" (error-message-string err)))))))
        (push (cons name r) results)
        (orgfig-bench--note "%s done in %.1f s%s" name (- (orgfig-bench--now) t0)
                            (if (plist-get r :na) (concat ": " (plist-get r :na)) ""))
        (garbage-collect)))
    (setq results (mapcar (lambda (n) (assq n results)) orgfig-bench-workloads))
    (unless skip-memory
      (dolist (name orgfig-bench-memory-workloads)
        (when (and (assq name results) (not (plist-get (cdr (assq name results)) :na)))
          (orgfig-bench--note "memory of %s (child Emacs)..." name)
          (push (cons name (orgfig-bench--run-child name)) mem)))
      (setq mem (nreverse mem)))
    (cons results mem)))

(defun orgfig-bench--compile-lisp ()
  "Byte-compile orgfig's Lisp into build/bench-elc, first in `load-path'.
An installed package is byte-compiled, and its interpreted source would
charge the Lisp side about twice its cost (63 against 143 us per figure
created, drawn into and closed).  The module is linked there from lisp/.
Skipped when ORGFIG_BENCH_INTERPRETED is set."
  (unless (getenv "ORGFIG_BENCH_INTERPRETED")
    (let* ((src (expand-file-name "lisp" orgfig-bench-root))
           (dir (expand-file-name "build/bench-elc" orgfig-bench-root))
           (so (concat "orgfig-module" module-file-suffix))
           (link (expand-file-name so dir)))
      (make-directory dir t)
      (dolist (f (directory-files src t "\\.el\\'"))
        (copy-file f (expand-file-name (file-name-nondirectory f) dir) t))
      (when (or (file-exists-p link) (file-symlink-p link))
        (delete-file link))
      (make-symbolic-link (expand-file-name so src) link)
      (let ((load-path (cons dir load-path))
            (byte-compile-warnings nil)
            (inhibit-message t))
        (dolist (f (directory-files dir t "\\.el\\'"))
          (unless (byte-compile-file f)
            (error "Cannot byte-compile %s" f))))
      (push dir load-path)
      (setq orgfig-bench--lisp "byte-compiled"))))

(defun orgfig-bench--load-orgfig ()
  "Load orgfig; on failure print why and exit with status 1."
  (condition-case err
      (require 'orgfig)
    (error
     (princ (format "bench: cannot load orgfig: %s\n" (error-message-string err)))
     (kill-emacs 1))))

;;;###autoload
(defun orgfig-bench-batch ()
  "Run `make bench': every workload in this Emacs, print and save the tables."
  (orgfig-bench--compile-lisp)
  (orgfig-bench--load-orgfig)
  (let* ((t0 (orgfig-bench--now))
         (run (orgfig-bench--run-all)))
    (setq orgfig-bench--results (car run))
    (orgfig-bench--report (car run) (cdr run))
    (orgfig-bench--say "")
    (orgfig-bench--say "Command: emacs -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-batch (total %.0f s)"
                       (- (orgfig-bench--now) t0))
    (orgfig-bench--write-report (expand-file-name "build/bench.md" orgfig-bench-root))
    (orgfig-bench--note "wrote build/bench.md")))

;;;; make bench-peers: matplotlib and gnuplot on the same data

(defconst orgfig-bench-python "/usr/bin/python3"
  "Debian's python3, which has python3-matplotlib (not a pyenv shim).")

(defun orgfig-bench--ensure-all-files (names)
  "Write the data files of the workloads NAMES that are still missing."
  (orgfig-bench--ensure-dir)
  (dolist (name names)
    (unless (file-exists-p (orgfig-bench--file name))
      (orgfig-bench--note "writing data of %s..." name)
      (orgfig-bench--write-files name (orgfig-bench--generate name))
      (garbage-collect))))

(defun orgfig-bench--run-mpl (names)
  "Run bench/peers.py on the workloads NAMES; return an alist of plists."
  (with-temp-buffer
    (let ((status (apply #'call-process orgfig-bench-python nil '(t nil) nil
                         (expand-file-name "bench/peers.py" orgfig-bench-root)
                         orgfig-bench-dir (number-to-string orgfig-bench-reps)
                         (mapcar #'symbol-name names)))
          res)
      (goto-char (point-min))
      (while (re-search-forward "^{.*}$" nil t)
        (let ((o (json-parse-string (match-string 0) :object-type 'plist
                                    :array-type 'list)))
          (push (cons (intern (plist-get o :workload)) o) res)))
      (unless (eq status 0)
        (orgfig-bench--note "peers.py exited with %s" status))
      (nreverse res))))

(defun orgfig-bench--run-gnuplot (name)
  "Run bench/peers.gp on workload NAME; return a plist."
  (let ((reps (if (memq name '(line_10m scatter_1m)) (min 3 orgfig-bench-reps)
                orgfig-bench-reps))
        (png (expand-file-name (format "gp_%s.png" name) orgfig-bench-dir)))
    (with-temp-buffer
      (let ((status (call-process "gnuplot" nil '(t nil) nil "-e"
                                  (format "dir='%s'; wl='%s'; reps=%d"
                                          orgfig-bench-dir name reps)
                                  (expand-file-name "bench/peers.gp" orgfig-bench-root)))
            ms total)
        (goto-char (point-min))
        (while (re-search-forward "^\\(REP\\|TOTAL\\) \\([0-9.]+\\)$" nil t)
          (if (equal (match-string 1) "REP")
              (push (string-to-number (match-string 2)) ms)
            (setq total (/ (string-to-number (match-string 2)) 1000.0))))
        (if (and (null ms) (null total))
            (list :error (format "gnuplot exit %s: %s" status
                                 (string-trim (buffer-string))))
          (list :ms (nreverse ms) :total-s total
                :png (and (file-exists-p png)
                          (file-attribute-size (file-attributes png)))))))))

(defun orgfig-bench--time-v (argv)
  "Run ARGV under /usr/bin/time -v; return (WALL-MS MAX-RSS-KB EXIT)."
  (let* ((tf (make-temp-file "orgfig-bench-time"))
         (t0 (orgfig-bench--now))
         (status (apply #'call-process "/usr/bin/time" nil nil nil
                        "-v" "-o" tf argv))
         (wall (* 1000 (- (orgfig-bench--now) t0)))
         (rss (with-temp-buffer
                (insert-file-contents tf)
                (when (re-search-forward "Maximum resident set size (kbytes): \\([0-9]+\\)" nil t)
                  (string-to-number (match-string 1))))))
    (delete-file tf)
    (list wall rss status)))

(defun orgfig-bench--startup ()
  "Measure process start-up and return one row per command.
Each row is (LABEL WALL RSS COUNT ERR): WALL is the median wall ms,
RSS the largest peak RSS in kB."
  (let* ((emacs (expand-file-name invocation-name invocation-directory))
         (lisp (file-name-directory (locate-library "orgfig")))
         (plot (concat "(let ((f (orgfig-figure :width 800 :height 600)) (y 0.0)) "
                       "(orgfig-line f nil (vconcat (mapcar (lambda (_) (setq y (+ y (- (random 1000) 499.5)))) (make-list 1000 0)))) "
                       "(orgfig-render f))"))
         (py-plot (concat "import io, numpy as np, matplotlib; matplotlib.use('Agg'); "
                          "import matplotlib.pyplot as plt; "
                          "y = np.cumsum(np.random.default_rng(1).standard_normal(1000)); "
                          "f = plt.figure(figsize=(8,6), dpi=100); plt.plot(y, lw=1); "
                          "f.savefig(io.BytesIO(), format='png')"))
         (cmds
          `(("emacs -Q --batch (nothing)" ,emacs "-Q" "--batch")
            ("emacs -Q --batch -L lisp -l orgfig" ,emacs "-Q" "--batch" "-L" ,lisp "-l" "orgfig")
            ("emacs ... -l orgfig + first 1k-line plot (PNG)" ,emacs "-Q" "--batch" "-L" ,lisp
             "-l" "orgfig" "--eval" ,plot)
            ("python3 -c 'import matplotlib.pyplot' (Agg)" ,orgfig-bench-python "-c"
             "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot")
            ("python3: import + first 1k-line plot (PNG)" ,orgfig-bench-python "-c" ,py-plot)
            ("gnuplot: first 1k-line plot (pngcairo, bin file)" "gnuplot" "-e"
             ,(format "set terminal pngcairo size 800,600; set output '%sgp_startup.png'; plot '%sline_1k.bin' binary format='%%float64%%float64' using 1:2 with lines lw 1 notitle; unset output"
                      orgfig-bench-dir orgfig-bench-dir))))
         res)
    (dolist (c cmds)
      (let (walls rsss err)
        (dotimes (_ 5)
          (let ((r (orgfig-bench--time-v (cdr c))))
            (push (nth 0 r) walls)
            (when (nth 1 r) (push (nth 1 r) rsss))
            (unless (eq (nth 2 r) 0) (setq err (format "exit %s" (nth 2 r))))))
        (push (list (car c) (orgfig-bench--median walls)
                    (and rsss (apply #'max rsss)) 5 err)
              res)))
    (nreverse res)))

(defun orgfig-bench--ratio (peer ours)
  "Format PEER / OURS as a ratio, or - when either is missing."
  (if (and peer ours (> ours 0)) (format "%.1fx" (/ peer ours)) "-"))

(defun orgfig-bench--med-cell (ms)
  "Format the median of MS with its count and range."
  (if ms (format "%s (%d, %s-%s)" (orgfig-bench--fmt-ms (orgfig-bench--median ms)) (length ms)
                 (orgfig-bench--fmt-ms (apply #'min ms)) (orgfig-bench--fmt-ms (apply #'max ms)))
    "-"))

(defun orgfig-bench--box-cell (box)
  "Format the pixel BOX (X Y W H) as WxH at X,Y."
  (if (= (length box) 4)
      (format "%dx%d at %d,%d" (nth 2 box) (nth 3 box) (nth 0 box) (nth 1 box))
    "?"))

(defun orgfig-bench--heatmap-boxes (results mpl)
  "Print the heatmap drawn by matplotlib into orgfig's pixel boxes.
RESULTS are orgfig's, MPL matplotlib's (workloads heatmap_1000 and
heatmap_1000_box, from bench/peers.py)."
  (let ((o (cdr (assq 'heatmap_1000 results)))
        (m (cdr (assq 'heatmap_1000 mpl)))
        (b (cdr (assq 'heatmap_1000_box mpl))))
    (when (and o b)
      (orgfig-bench--say "")
      (if (plist-get b :error)
          (orgfig-bench--say "heatmap_1000 in orgfig's pixel boxes (matplotlib): %s"
                             (plist-get b :error))
        (orgfig-bench--say "heatmap_1000, the same picture: orgfig's heatmap covers %s pixels (colorbar %s); matplotlib's imshow keeps square cells in %s (colorbar %s), %.2fx fewer pixels of noise.  Drawn by matplotlib into orgfig's boxes (boxes read from orgfig's PNG by bench/peers.py, imshow aspect='auto'; it covers %s):"
                           (orgfig-bench--box-cell (nth 0 (plist-get b :orgfig_boxes)))
                           (orgfig-bench--box-cell (nth 1 (plist-get b :orgfig_boxes)))
                           (orgfig-bench--box-cell (nth 0 (plist-get m :boxes)))
                           (orgfig-bench--box-cell (nth 1 (plist-get m :boxes)))
                           (let ((ob (nth 0 (plist-get b :orgfig_boxes)))
                                 (mb (nth 0 (plist-get m :boxes))))
                             (if (and ob mb)
                                 (/ (* 1.0 (nth 2 ob) (nth 3 ob)) (* (nth 2 mb) (nth 3 mb)))
                               0))
                           (orgfig-bench--box-cell (nth 0 (plist-get b :boxes))))
        (orgfig-bench--say "")
        (orgfig-bench--say "| workload | orgfig ms | matplotlib ms | mpl / orgfig | orgfig PNG | orgfig PNG, small preset | mpl PNG |")
        (orgfig-bench--say "|---|---|---|---|---|---|---|")
        (orgfig-bench--say "| heatmap_1000, same boxes | %s | %s | %s | %s | %s | %s |"
                           (orgfig-bench--med-cell (plist-get o :ms))
                           (orgfig-bench--med-cell (plist-get b :ms))
                           (orgfig-bench--ratio (orgfig-bench--median (plist-get b :ms))
                                                (orgfig-bench--median (plist-get o :ms)))
                           (orgfig-bench--commas (plist-get o :png))
                           (orgfig-bench--commas (plist-get o :small-png))
                           (orgfig-bench--commas (plist-get b :png)))))))

(defun orgfig-bench--peers-png (results mpl)
  "Print how orgfig's PNG bytes in RESULTS compare with MPL's, this run.
Twice: against each tool's default picture, and against the same
picture (matplotlib's heatmap drawn into orgfig's boxes)."
  (dolist (same '(nil t))
    (dolist (key '(:png :small-png))
      (let (over (n 0) (met 0))
        (dolist (name orgfig-bench-workloads)
          (let* ((peer (if (and same (eq name 'heatmap_1000)) 'heatmap_1000_box name))
                 (b (plist-get (cdr (assq name results)) key))
                 (p (plist-get (cdr (assq peer mpl)) :png)))
            (when (and (numberp b) (numberp p))
              (cl-incf n)
              (if (<= b p) (cl-incf met)
                (push (format "%s %s > %s" name (orgfig-bench--commas b)
                              (orgfig-bench--commas p))
                      over)))))
        (when (> n 0)
          (orgfig-bench--say "")
          (orgfig-bench--say "PNG bytes, orgfig's %s against matplotlib's in this run, %s: %d of %d at or below%s."
                             (if (eq key :png) "default (display) preset" "small preset (files)")
                             (if same "the same pictures (the heatmap in the same boxes)"
                               "each tool's default picture")
                             met n
                             (if over (concat "; over: " (string-join (nreverse over) ", "))
                               "")))))))

(defun orgfig-bench--peers-report (results mpl gp startup)
  "Print the comparison of RESULTS with MPL and GP, and the STARTUP rows."
  (orgfig-bench--say "")
  (orgfig-bench--say "## orgfig vs matplotlib vs gnuplot, same data (%s)" (orgfig-bench--machine))
  (orgfig-bench--say "")
  (orgfig-bench--say "800x600 PNG, in-process render medians in ms (N, min-max).  orgfig: orgfig-figure + plot + orgfig-render, data in columns.  matplotlib %s: plt.figure(figsize=(8,6), dpi=100) + artist + savefig(BytesIO, png); plt.close + gc.collect untimed.  gnuplot: time(0.0) around set output + plot + unset output (pngcairo, includes reading the float64 file from %s).  ratio = peer ms / orgfig ms (above 1: orgfig is faster).  CPU = median processor time per rep (orgfig: get-internal-run-time; matplotlib: process_time)."
                     (or (plist-get (cdr (car mpl)) :version) "?") orgfig-bench-dir)
  (orgfig-bench--say "")
  (orgfig-bench--say "| workload | orgfig ms | matplotlib ms | gnuplot ms | mpl / orgfig | gnuplot / orgfig | orgfig CPU ms | mpl CPU ms | orgfig PNG | mpl PNG | gnuplot PNG |")
  (orgfig-bench--say "|---|---|---|---|---|---|---|---|---|---|---|")
  (dolist (name orgfig-bench-workloads)
    (unless (memq name '(many_figs org_block_1k))
      (let* ((o (cdr (assq name results))) (m (cdr (assq name mpl)))
             (g (cdr (assoc name gp)))
             (om (and (plist-get o :ms) (orgfig-bench--median (plist-get o :ms))))
             (mm (and (plist-get m :ms) (orgfig-bench--median (plist-get m :ms))))
             (gm (and (plist-get g :ms) (orgfig-bench--median (plist-get g :ms)))))
        (orgfig-bench--say "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                           name
                           (or (plist-get o :na) (orgfig-bench--med-cell (plist-get o :ms)))
                           (or (plist-get m :error) (orgfig-bench--med-cell (plist-get m :ms)))
                           (or (plist-get g :error) (orgfig-bench--med-cell (plist-get g :ms)))
                           (orgfig-bench--ratio mm om) (orgfig-bench--ratio gm om)
                           (if (plist-get o :cpu)
                               (orgfig-bench--fmt-ms (orgfig-bench--median (plist-get o :cpu)))
                             "-")
                           (if (plist-get m :cpu_ms)
                               (orgfig-bench--fmt-ms (orgfig-bench--median (plist-get m :cpu_ms)))
                             "-")
                           (if (plist-get o :png) (orgfig-bench--commas (plist-get o :png)) "-")
                           (if (plist-get m :png) (orgfig-bench--commas (plist-get m :png)) "-")
                           (if (plist-get g :png) (orgfig-bench--commas (plist-get g :png)) "-")))))
  (orgfig-bench--heatmap-boxes results mpl)
  (orgfig-bench--peers-png results mpl)
  (when (memq 'many_figs orgfig-bench-workloads)
    (let ((o (cdr (assq 'many_figs results))) (m (cdr (assq 'many_figs mpl)))
          (g (cdr (assoc 'many_figs gp))))
      (orgfig-bench--say "")
      (orgfig-bench--say "many_figs, 1000 x (800x600 figure, 100-point line, PNG in memory; gnuplot: PNG file), one process:")
      (orgfig-bench--say "")
      (orgfig-bench--say "| tool | total s | peer / orgfig | RSS MB after fig 100 ... 1000 | avg PNG bytes |")
      (orgfig-bench--say "|---|---|---|---|---|")
      (orgfig-bench--say "| orgfig | %s | | %s | %s |"
                         (if (plist-get o :total-s) (format "%.2f" (plist-get o :total-s))
                           (or (plist-get o :na) "-"))
                         (mapconcat #'orgfig-bench--mb (plist-get o :rss) ", ")
                         (if (plist-get o :png) (orgfig-bench--commas (plist-get o :png)) "-"))
      (orgfig-bench--say "| matplotlib (pyplot, plt.close each) | %s | %s | %s | %s |"
                         (if (plist-get m :total_s) (format "%.2f" (plist-get m :total_s))
                           (or (plist-get m :error) "-"))
                         (orgfig-bench--ratio (plist-get m :total_s) (plist-get o :total-s))
                         (mapconcat #'orgfig-bench--mb (plist-get m :rss_kb) ", ")
                         (if (plist-get m :png) (orgfig-bench--commas (plist-get m :png)) "-"))
      (orgfig-bench--say "| gnuplot (1000 plots, one process) | %s | %s | - | %s (last) |"
                         (if (plist-get g :total-s) (format "%.2f" (plist-get g :total-s))
                           (or (plist-get g :error) "-"))
                         (orgfig-bench--ratio (plist-get g :total-s) (plist-get o :total-s))
                         (if (plist-get g :png) (orgfig-bench--commas (plist-get g :png)) "-"))))
  (orgfig-bench--say "")
  (orgfig-bench--say "Process start-up (whole process, wall ms = median of 5 runs timed from Emacs around /usr/bin/time -v; RSS = max of 'Maximum resident set size'):")
  (orgfig-bench--say "")
  (orgfig-bench--say "| command | wall ms (runs) | peak RSS MB | note |")
  (orgfig-bench--say "|---|---|---|---|")
  (dolist (s startup)
    (orgfig-bench--say "| %s | %s (%d) | %s | %s |" (nth 0 s) (orgfig-bench--fmt-ms (nth 1 s))
                       (nth 3 s) (orgfig-bench--mb (nth 2 s)) (or (nth 4 s) ""))))

;;;###autoload
(defun orgfig-bench-peers-batch ()
  "Run `make bench-peers': orgfig, matplotlib and gnuplot on the same data."
  (orgfig-bench--compile-lisp)
  (orgfig-bench--load-orgfig)
  (let* ((t0 (orgfig-bench--now))
         (names (cl-remove 'org_block_1k orgfig-bench-workloads))
         (run (orgfig-bench--run-all t))
         mpl gp startup)
    (orgfig-bench--ensure-all-files names)
    (orgfig-bench--note "matplotlib...")
    (setq mpl (orgfig-bench--run-mpl
               ;; The heatmap also in orgfig's pixel boxes (bench/peers.py).
               (if (memq 'heatmap_1000 names) (append names '(heatmap_1000_box)) names)))
    (dolist (name names)
      (orgfig-bench--note "gnuplot %s..." name)
      (push (cons name (orgfig-bench--run-gnuplot name)) gp))
    (setq gp (nreverse gp))
    (orgfig-bench--note "start-up...")
    (setq startup (orgfig-bench--startup))
    (orgfig-bench--peers-report (car run) mpl gp startup)
    (orgfig-bench--say "")
    (orgfig-bench--say "Command: make bench-peers = emacs -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-peers-batch (total %.0f s)"
                       (- (orgfig-bench--now) t0))
    (orgfig-bench--write-report (expand-file-name "build/bench-peers.md" orgfig-bench-root))
    (orgfig-bench--note "wrote build/bench-peers.md")))

(provide 'orgfig-bench)
;;; bench.el ends here
