;;; gallery.el --- Draw one image per orgfig plot type and feature  -*- lexical-binding: t -*-

;; This file is not part of GNU Emacs.

;;; Commentary:

;; `make gallery' runs
;;
;;   emacs -Q --batch -L lisp -l examples/gallery.el -f orgfig-gallery-batch [OUTDIR]
;;
;; and writes OUTDIR/NAME.png (default OUTDIR: gallery/ at the top of
;; the checkout) for every entry of `orgfig-gallery-entries', plus
;; OUTDIR/index.org, which shows each image next to the Lisp that drew
;; it, so the gallery doubles as documentation.  With the argument
;; --readme it instead writes the few entries marked for the README into
;; docs/images/, as small PNG files.
;;
;; Every snippet is a complete expression using only the public API and
;; returning a figure; you can paste it into an emacs-lisp source block
;; of an org file and run it there.  The snippets share three small data
;; helpers, defined below and shown at the top of the index.  A snippet
;; that signals an error is recorded in the index as a failure; the
;; gallery goes on with the next one and exits with status 1 at the end.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'orgfig)

(defvar orgfig-gallery--root
  (file-name-directory
   (directory-file-name (file-name-directory (or load-file-name buffer-file-name))))
  "The top directory of the orgfig checkout.")

;;;; Data helpers used by the snippets

(defun orgfig-gallery-linspace (a b n)
  "Return a vector of N numbers spaced evenly from A to B."
  (let ((v (make-vector n 0.0)))
    (dotimes (i n)
      (aset v i (+ a (* (- b a) (/ (float i) (max 1 (1- n)))))))
    v))

(defun orgfig-gallery-randn (n &optional mean sd)
  "Return a vector of N normal random numbers of MEAN and SD (0 and 1).
The numbers come from `random', which the gallery seeds before each
snippet, so every image is the same on every run."
  (let ((v (make-vector n 0.0))
        (mean (or mean 0.0))
        (sd (or sd 1.0)))
    (dotimes (i n)
      (let ((u1 (/ (+ 1.0 (random 1000000)) 1000001.0))
            (u2 (/ (random 1000000) 1000000.0)))
        (aset v i (+ mean (* sd (sqrt (* -2.0 (log u1)))
                              (cos (* 2.0 float-pi u2)))))))
    v))

(defun orgfig-gallery-map (fn &rest seqs)
  "Apply FN to the elements of SEQS in parallel; return a vector."
  (apply #'cl-map 'vector fn seqs))

;; Compiled even when this file is loaded as source: the snippets call
;; them for millions of numbers.
(mapc #'byte-compile '(orgfig-gallery-linspace orgfig-gallery-randn orgfig-gallery-map))

(defconst orgfig-gallery--helpers-source
  "(defun orgfig-gallery-linspace (a b n)
  \"Return a vector of N numbers spaced evenly from A to B.\"
  (let ((v (make-vector n 0.0)))
    (dotimes (i n)
      (aset v i (+ a (* (- b a) (/ (float i) (max 1 (1- n)))))))
    v))

(defun orgfig-gallery-randn (n &optional mean sd)
  \"Return a vector of N normal random numbers of MEAN and SD (0 and 1).\"
  (let ((v (make-vector n 0.0)) (mean (or mean 0.0)) (sd (or sd 1.0)))
    (dotimes (i n)
      (let ((u1 (/ (+ 1.0 (random 1000000)) 1000001.0))
            (u2 (/ (random 1000000) 1000000.0)))
        (aset v i (+ mean (* sd (sqrt (* -2.0 (log u1)))
                              (cos (* 2.0 float-pi u2)))))))
    v))

(defun orgfig-gallery-map (fn &rest seqs)
  \"Apply FN to the elements of SEQS in parallel; return a vector.\"
  (apply #'cl-map 'vector fn seqs))"
  "The helpers above as text, for the index (keep the two in step).")

;;;; The entries

(defvar orgfig-gallery-entries nil
  "The gallery, in order: a list of plists.
Keys: `:section' (a heading), `:name' (the file name without
extension), `:title' (a caption), `:code' (the snippet, a string
holding one expression that returns a figure), `:formats' (extra
formats to save besides png) and `:readme' (non-nil: also drawn by
--readme into docs/images/).")

(defmacro orgfig-gallery-define (section name title code &rest keys)
  "Add the entry NAME under SECTION with caption TITLE and snippet CODE.
KEYS are further entry properties such as `:readme' and `:formats'."
  (declare (indent 3))
  `(setq orgfig-gallery-entries
         (append (cl-remove ,name orgfig-gallery-entries
                            :key (lambda (e) (plist-get e :name)) :test #'equal)
                 (list (list :section ,section :name ,name :title ,title
                             :code ,code ,@keys)))))

;;; Line

(orgfig-gallery-define "Line" "line-basic" "Two lines, markers, legend and grid"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Damped waves\"))
       (x (orgfig-gallery-linspace 0 10 40)))
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (* (exp (* -0.2 v)) (cos v))) x)
               :label \"cos\" :marker 'circle)
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (* (exp (* -0.2 v)) (sin v))) x)
               :label \"sin\" :marker 'square :dash 'dashed)
  (orgfig-set fig :xlabel \"time (s)\" :ylabel \"amplitude\" :legend t :grid t))"
  :readme t)

(orgfig-gallery-define "Line" "line-dash" "Dash styles"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Dash styles\"))
       (x (orgfig-gallery-linspace 0 6.3 100)))
  (cl-loop for dash in '(solid dashed dotted dashdot)
           for k from 0
           do (orgfig-line fig x (orgfig-gallery-map (lambda (v) (+ k (sin v))) x)
                           :dash dash :label (symbol-name dash)))
  (orgfig-set fig :legend 'outside))")

(orgfig-gallery-define "Line" "line-markers" "Every marker"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Markers\")))
  (cl-loop for m in '(circle square triangle diamond plus x none)
           for k from 0
           do (orgfig-line fig [0 1 2 3 4] (vector k (+ k 0.5) k (+ k 0.5) k)
                           :marker m :label (symbol-name m)))
  (orgfig-set fig :legend 'outside :xlim '(-0.5 4.5)))")

(orgfig-gallery-define "Line" "line-width" "Line widths and marker sizes"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Widths and marker sizes\")))
  (cl-loop for w in '(0.5 1 2 4)
           for k from 0
           do (orgfig-line fig [0 1 2 3] (vector k (+ k 1) k (+ k 1))
                           :width w :marker 'circle :marker-size (* 3 (1+ k))
                           :label (format \"width %s\" w)))
  (orgfig-set fig :legend 'outside))")

(orgfig-gallery-define "Line" "line-step" "Step modes"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Steps\"))
       (x [0 1 2 3 4 5 6]) (y [1 3 2 4 3 5 4]))
  (orgfig-line fig x y :step 'pre :label \"pre\")
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (+ v 5)) y) :step 'post :label \"post\")
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (+ v 10)) y) :step 'mid :label \"mid\")
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (+ v 15)) y) :marker 'circle :label \"points\"
               :color \"gray\")
  (orgfig-set fig :legend t :grid t))")

(orgfig-gallery-define "Line" "line-alpha" "Transparent thick lines"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"alpha 0.5, width 8\"))
       (x (orgfig-gallery-linspace 0 6.3 200)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :width 8 :alpha 0.5 :label \"sin\")
  (orgfig-line fig x (orgfig-gallery-map #'cos x) :width 8 :alpha 0.5 :label \"cos\")
  (orgfig-set fig :legend t))")

(orgfig-gallery-define "Line" "line-nan" "NaN values split the line"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Gaps where y is NaN\"))
       (x (orgfig-gallery-linspace 0 12.6 300))
       (y (orgfig-gallery-map (lambda (v) (if (< 0.6 (sin (* 3 v))) 0.0e+NaN (sin v))) x)))
  (orgfig-line fig x y :marker 'circle :marker-size 3)
  (orgfig-set fig :grid t))")

(orgfig-gallery-define "Line" "line-million" "A random walk of one million points"
  "(let* ((n 1000000)
       (y (make-vector n 0.0))
       (fig (orgfig-figure :width 640 :height 400 :title \"1,000,000 points\")))
  (dotimes (i (1- n))
    (aset y (1+ i) (+ (aref y i) (- (random 2001) 1000.0))))
  (orgfig-line fig nil (orgfig-pack y 'float32) :width 0.8)
  (orgfig-set fig :xlabel \"step\" :ylabel \"position\" :grid t))")

;;; Scatter

(orgfig-gallery-define "Scatter" "scatter-basic" "Two groups with transparency"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Two clusters\")))
  (orgfig-scatter fig (orgfig-gallery-randn 300 0 1) (orgfig-gallery-randn 300 0 1)
                  :label \"A\" :alpha 0.6)
  (orgfig-scatter fig (orgfig-gallery-randn 300 2.5 0.7) (orgfig-gallery-randn 300 1 0.7)
                  :label \"B\" :alpha 0.6 :marker 'triangle)
  (orgfig-set fig :xlabel \"x\" :ylabel \"y\" :legend t :grid t))")

(orgfig-gallery-define "Scatter" "scatter-sizes" "Marker size per point"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Sizes (points²)\"))
       (x (orgfig-gallery-linspace 1 10 10)))
  (orgfig-scatter fig x (orgfig-gallery-map #'sqrt x)
                  :size (orgfig-gallery-map (lambda (v) (* v v 6)) x) :alpha 0.7)
  (orgfig-set fig :xlim '(0 11) :ylim '(0.5 3.8)))")

(orgfig-gallery-define "Scatter" "scatter-cmap" "Colors from a colormap, with colorbar"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Distance from the origin\"))
       (x (orgfig-gallery-randn 500)) (y (orgfig-gallery-randn 500))
       (d (orgfig-gallery-map (lambda (a b) (sqrt (+ (* a a) (* b b)))) x y)))
  (orgfig-scatter fig x y :color d :cmap 'viridis :colorbar t :size 25)
  (orgfig-set fig :aspect 'equal))")

(orgfig-gallery-define "Scatter" "scatter-markers" "Scatter markers"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Scatter markers\")))
  (cl-loop for m in '(circle square triangle diamond plus x)
           for k from 0
           do (orgfig-scatter fig [1 2 3 4 5] (make-vector 5 k) :marker m :size 80
                              :label (symbol-name m)))
  (orgfig-set fig :legend 'outside :ylim '(-1 6)))")

(orgfig-gallery-define "Scatter" "scatter-density" "Density of one million points"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"1,000,000 points, counted per pixel\"))
      (x (orgfig-gallery-randn 1000000))
      (y (orgfig-gallery-randn 1000000)))
  (dotimes (i 500000)
    (aset y i (+ (* 0.5 (aref x i)) (* 0.4 (aref y i)))))
  (orgfig-scatter fig (orgfig-pack x 'float32) (orgfig-pack y 'float32)
                  :density t :cmap 'inferno :colorbar t)
  (orgfig-set fig :xlabel \"x\" :ylabel \"y\"))"
  :readme t)

;;; Bar

(orgfig-gallery-define "Bar" "bar-vertical" "Vertical bars"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Fruit sold\")))
  (orgfig-bar fig [\"apples\" \"pears\" \"plums\" \"cherries\"] [42 31 18 -7])
  (orgfig-set fig :ylabel \"crates (net)\" :grid 'y))")

(orgfig-gallery-define "Bar" "bar-horizontal" "Horizontal bars"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Languages\")))
  (orgfig-bar fig [\"C\" \"Emacs Lisp\" \"Python\" \"Rust\" \"Shell\"] [38 27 12 9 4]
              :horizontal t :color \"#55a868\" :edgecolor \"#2a5434\")
  (orgfig-set fig :xlabel \"thousand lines\" :grid 'x))")

(orgfig-gallery-define "Bar" "bar-grouped" "Grouped bars"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Quarterly results\"))
      (q [\"Q1\" \"Q2\" \"Q3\" \"Q4\"]))
  (orgfig-bar fig q [20 34 30 35] :group t :label \"2023\")
  (orgfig-bar fig q [25 32 34 20] :group t :label \"2024\")
  (orgfig-bar fig q [28 36 38 41] :group t :label \"2025\")
  (orgfig-set fig :ylabel \"revenue\" :legend t))")

(orgfig-gallery-define "Bar" "bar-stacked" "Stacked bars"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Stacked\"))
      (days [\"Mon\" \"Tue\" \"Wed\" \"Thu\" \"Fri\"]))
  (orgfig-bar fig days [3 4 2 5 4] :label \"bugs\")
  (orgfig-bar fig days [5 2 6 3 4] :stack t :label \"features\")
  (orgfig-bar fig days [1 2 1 2 3] :stack t :label \"docs\")
  (orgfig-set fig :ylabel \"commits\" :legend 'upper-left))")

(orgfig-gallery-define "Bar" "bar-many-labels" "Many long labels"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Thirty categories\"))
      (labels (cl-loop for i from 1 to 30 vconcat (list (format \"category %d\" i))))
      (values (cl-loop for i from 1 to 30 vconcat (list (+ 5 (mod (* i 37) 23))))))
  (orgfig-bar fig labels values :bar-width 0.6))")

;;; Histogram

(orgfig-gallery-define "Histogram" "hist-auto" "Automatic bins (Freedman-Diaconis)"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"5,000 normal numbers\")))
  (orgfig-hist fig (orgfig-gallery-randn 5000 170 8) :bins 'auto)
  (orgfig-set fig :xlabel \"height (cm)\" :ylabel \"count\"))")

(orgfig-gallery-define "Histogram" "hist-density" "Density, 40 bins, a range"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Density\")))
  (orgfig-hist fig (orgfig-gallery-randn 5000) :bins 40 :range '(-4 4) :density t)
  (orgfig-line fig (orgfig-gallery-linspace -4 4 100)
               (orgfig-gallery-map (lambda (v) (/ (exp (* -0.5 v v)) (sqrt (* 2 float-pi))))
                                   (orgfig-gallery-linspace -4 4 100))
               :label \"N(0, 1)\" :width 2)
  (orgfig-set fig :legend t))")

(orgfig-gallery-define "Histogram" "hist-cumulative" "Cumulative"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Cumulative\")))
  (orgfig-hist fig (orgfig-gallery-randn 2000) :bins 50 :cumulative t :density t)
  (orgfig-set fig :grid t))")

(orgfig-gallery-define "Histogram" "hist-step" "Step outlines"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"histtype step\")))
  (orgfig-hist fig (orgfig-gallery-randn 3000 0 1) :bins 30 :histtype 'step :label \"σ = 1\")
  (orgfig-hist fig (orgfig-gallery-randn 3000 0 2) :bins 30 :histtype 'step :label \"σ = 2\")
  (orgfig-set fig :legend t))")

(orgfig-gallery-define "Histogram" "hist-overlaid" "Overlaid with transparency"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Overlaid\")))
  (orgfig-hist fig (orgfig-gallery-randn 3000 -1 1) :bins 40 :alpha 0.5 :label \"before\")
  (orgfig-hist fig (orgfig-gallery-randn 3000 1 1.3) :bins 40 :alpha 0.5 :label \"after\")
  (orgfig-set fig :legend t :xlabel \"score\"))")

;;; Heatmap

(dolist (cmap '("viridis" "plasma" "inferno" "magma" "cividis" "gray" "RdBu" "coolwarm"
                "viridis_r"))
  (eval
   `(orgfig-gallery-define "Heatmap colormaps" ,(concat "heatmap-cmap-" (downcase cmap))
      ,(format "Colormap %s" cmap)
      ,(format "(let ((fig (orgfig-figure :width 480 :height 360 :title \"%s\"))
      (m (cl-loop for i below 20
                  vconcat (list (cl-loop for j below 30
                                         vconcat (list (sin (* 0.2 (+ i j (* 0.1 i j))))))))))
  (orgfig-heatmap fig m :cmap '%s))" cmap cmap))
   t))

(orgfig-gallery-define "Heatmap" "heatmap-annotate" "Annotated cells with labels"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Correlation\")))
  (orgfig-heatmap fig [[1.0 0.8 -0.3] [0.8 1.0 -0.5] [-0.3 -0.5 1.0]]
                  :cmap 'RdBu :vmin -1 :vmax 1 :annotate \"%.1f\"
                  :xlabels [\"speed\" \"power\" \"weight\"]
                  :ylabels [\"speed\" \"power\" \"weight\"]))"
  :readme t)

(orgfig-gallery-define "Heatmap" "heatmap-3cols" "A small matrix without labels"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"2 rows, 3 columns\")))
  (orgfig-heatmap fig '((1 2 3) (4 5 6)) :annotate t))")

(orgfig-gallery-define "Heatmap" "heatmap-extent" "Extent in data coordinates"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"sin x · cos y over [0, 2π]²\"))
      (m (cl-loop for i below 60
                  vconcat (list (cl-loop for j below 60
                                         vconcat (list (* (sin (* j 0.105)) (cos (* i 0.105)))))))))
  (orgfig-heatmap fig m :extent (list 0 (* 2 float-pi) 0 (* 2 float-pi)) :cmap 'coolwarm)
  (orgfig-set fig :xlabel \"x\" :ylabel \"y\"))")

(orgfig-gallery-define "Heatmap" "heatmap-orientation" "Row 0 is the top row"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Row 0 = [0 1 2 3]\")))
  (orgfig-heatmap fig [[0 1 2 3] [4 5 6 7] [8 9 10 11]] :annotate t :cmap 'gray))")

;;; Fill between

(orgfig-gallery-define "Fill between" "fill-band" "A band around a line"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Mean and 95% band\"))
       (x (orgfig-gallery-linspace 0 10 100))
       (y (orgfig-gallery-map (lambda (v) (+ (* 0.5 v) (sin v))) x)))
  (orgfig-fill-between fig x (orgfig-gallery-map (lambda (v w) (- v (* 0.2 (1+ w)))) y x)
                       (orgfig-gallery-map (lambda (v w) (+ v (* 0.2 (1+ w)))) y x)
                       :alpha 0.3 :label \"95% band\")
  (orgfig-line fig x y :label \"mean\")
  (orgfig-set fig :legend 'upper-left))")

(orgfig-gallery-define "Fill between" "fill-to-zero" "Fill to a constant"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Fill to y = 0\"))
       (x (orgfig-gallery-linspace 0 12.6 300)))
  (orgfig-fill-between fig x (orgfig-gallery-map #'sin x) 0 :color \"#c44e52\" :alpha 0.4)
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :color \"#c44e52\"))")

;;; Errorbar

(orgfig-gallery-define "Error bars" "errorbar-symmetric" "Symmetric errors"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Measurements\")))
  (orgfig-errorbar fig [1 2 3 4 5 6] [2.1 3.9 6.2 7.8 10.1 12.2] [0.3 0.5 0.4 0.8 0.6 0.9]
                   :capsize 4 :marker 'circle :label \"run 1\")
  (orgfig-errorbar fig [1 2 3 4 5 6] [1.5 3.1 4.4 6.5 8.0 9.1] 0.5
                   :capsize 4 :marker 'square :label \"run 2\")
  (orgfig-set fig :legend t :xlabel \"dose\" :ylabel \"response\"))")

(orgfig-gallery-define "Error bars" "errorbar-asymmetric" "Asymmetric errors"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Asymmetric\")))
  (orgfig-errorbar fig [1 2 3 4 5] [5 7 6 8 9] (list [1 2 0.5 1 3] [0.5 0.5 2 2 1])
                   :capsize 6 :marker 'diamond :width 1.5)
  (orgfig-set fig :xlim '(0 6)))")

;;; Area

(orgfig-gallery-define "Area" "area-stacked" "Stacked areas with a legend"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Energy mix\"))
      (years (orgfig-gallery-linspace 2000 2024 25)))
  (orgfig-area fig years
               (list (orgfig-gallery-map (lambda (y) (- 60 (* 1.5 (- y 2000)))) years)
                     (orgfig-gallery-map (lambda (y) (+ 20 (* 0.2 (- y 2000)))) years)
                     (orgfig-gallery-map (lambda (y) (+ 5 (* 1.4 (- y 2000)))) years))
               :labels '(\"coal\" \"gas\" \"renewables\"))
  (orgfig-set fig :ylabel \"TWh\" :legend 'upper-left))")

;;; Box

(orgfig-gallery-define "Box" "box-vertical" "Several datasets with outliers"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Response times\")))
  (orgfig-box fig (list (vconcat (orgfig-gallery-randn 200 10 2) [20 22])
                        (orgfig-gallery-randn 200 12 3)
                        (vconcat (orgfig-gallery-randn 200 8 1) [2 14 15]))
              :labels '(\"alpha\" \"beta\" \"gamma\"))
  (orgfig-set fig :ylabel \"ms\" :grid 'y))")

(orgfig-gallery-define "Box" "box-horizontal" "Horizontal, whiskers at 1.0 IQR"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Horizontal\")))
  (orgfig-box fig (list (orgfig-gallery-randn 100 0 1) (orgfig-gallery-randn 100 1 2))
              :labels '(\"narrow\" \"wide\") :horizontal t :whis 1.0 :color \"#8172b2\"))")

;;; Pie

(orgfig-gallery-define "Pie" "pie-autopct" "Percentages"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Browser share\")))
  (orgfig-pie fig [\"Firefox\" \"Chromium\" \"eww\" \"Other\"] [35 45 5 15]
              :autopct \"%.0f%%\" :start-angle 90))")

(orgfig-gallery-define "Pie" "pie-donut" "Donut"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Donut\")))
  (orgfig-pie fig [\"a\" \"b\" \"c\" \"d\" \"e\"] [1 2 3 4 5] :donut 0.5 :autopct t))")

;;; Annotations

(orgfig-gallery-define "Text and reference lines" "text-lines" "text, hline, vline"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Annotations\"))
       (x (orgfig-gallery-linspace 0 10 200)))
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (* v (exp (- (/ v 3.0))))) x))
  (orgfig-hline fig 1.1036 :dash 'dashed :color \"gray\" :label \"maximum\")
  (orgfig-vline fig 3 :dash 'dotted :color \"#c44e52\" :width 2)
  (orgfig-text fig 3.2 1.0 \"peak at x = 3\" :ha 'left :va 'top)
  (orgfig-text fig 8 0.3 \"rotated\" :rotation 30 :size 14 :color \"#55a868\" :ha 'center)
  (orgfig-text fig 0.2 0.05 \"left/bottom\" :ha 'left :va 'bottom :size 9))")

;;; Subplots

(orgfig-gallery-define "Subplots" "subplots-2x2" "A 2×2 grid of several kinds"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :rows 2 :cols 2
                            :suptitle \"Four kinds\"))
       (x (orgfig-gallery-linspace 0 6.3 50)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :axes 0)
  (orgfig-set fig :axes 0 :title \"line\")
  (orgfig-scatter fig (orgfig-gallery-randn 100) (orgfig-gallery-randn 100) :axes 1 :alpha 0.7)
  (orgfig-set fig :axes 1 :title \"scatter\")
  (orgfig-bar fig [\"a\" \"b\" \"c\"] [3 5 2] :axes 2)
  (orgfig-set fig :axes 2 :title \"bar\")
  (orgfig-hist fig (orgfig-gallery-randn 1000) :axes 3)
  (orgfig-set fig :axes 3 :title \"hist\"))"
  :readme t)

(orgfig-gallery-define "Subplots" "subplots-sharey" "One row, shared y"
  "(let ((fig (orgfig-figure :width 640 :height 300 :rows 1 :cols 3 :sharey t)))
  (dotimes (k 3)
    (orgfig-line fig nil (orgfig-gallery-map (lambda (v) (* (1+ k) v)) (orgfig-gallery-randn 30))
                 :axes k)
    (orgfig-set fig :axes k :title (format \"scale %d\" (1+ k)) :xlabel \"i\"))
  (orgfig-set fig :axes 0 :ylabel \"value\"))")

(orgfig-gallery-define "Subplots" "subplots-sharex" "One column, shared x"
  "(let* ((fig (orgfig-figure :width 640 :height 480 :rows 3 :cols 1 :sharex t))
       (x (orgfig-gallery-linspace 0 20 400)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :axes 0)
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (* 100 (cos v))) x) :axes 1)
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (* 0.001 v v)) x) :axes 2)
  (orgfig-set fig :axes 0 :ylabel \"sin\")
  (orgfig-set fig :axes 1 :ylabel \"100 cos\")
  (orgfig-set fig :axes 2 :ylabel \"x²/1000\" :xlabel \"x\"))")

(orgfig-gallery-define "Subplots" "subplots-suptitle" "Figure title over a 2×3 grid"
  "(let ((fig (orgfig-figure :width 800 :height 500 :rows 2 :cols 3
                          :suptitle \"Six histograms\")))
  (dotimes (k 6)
    (orgfig-hist fig (orgfig-gallery-randn 500 0 (1+ k)) :axes k :bins 20)
    (orgfig-set fig :axes k :title (format \"σ = %d\" (1+ k))))
  fig)")

;;; Log axes

(orgfig-gallery-define "Log axes" "log-y" "Logarithmic y"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Exponential growth\"))
       (x (orgfig-gallery-linspace 0 20 50)))
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (exp v)) x) :label \"eˣ\")
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (expt 2 v)) x) :label \"2ˣ\")
  (orgfig-set fig :yscale 'log :legend t :grid t))")

(orgfig-gallery-define "Log axes" "log-x" "Logarithmic x"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Frequency response\"))
       (f (orgfig-gallery-map (lambda (e) (expt 10.0 e)) (orgfig-gallery-linspace 0 5 200))))
  (orgfig-line fig f (orgfig-gallery-map (lambda (v) (/ 1.0 (sqrt (+ 1 (expt (/ v 1000.0) 2))))) f))
  (orgfig-set fig :xscale 'log :xlabel \"Hz\" :ylabel \"gain\" :grid t))")

(orgfig-gallery-define "Log axes" "log-loglog" "Both axes logarithmic"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Power laws\"))
       (x (orgfig-gallery-map (lambda (e) (expt 10.0 e)) (orgfig-gallery-linspace -1 3 40))))
  (dolist (p '(0.5 1 2 3))
    (orgfig-line fig x (orgfig-gallery-map (lambda (v) (expt v p)) x)
                 :label (format \"x^%s\" p) :marker 'circle :marker-size 4))
  (orgfig-set fig :xscale 'log :yscale 'log :legend 'upper-left :grid t))"
  :readme t)

;;; Time axes

(dolist (span '(("hours" "Six hours" 21600 200)
                ("days" "Ten days" 864000 240)
                ("months" "Eight months" 20736000 240)
                ("years" "Twelve years" 378432000 300)))
  (eval
   `(orgfig-gallery-define "Time axes" ,(concat "time-" (car span)) ,(nth 1 span)
      ,(format "(let* ((t0 1700000000)
       (ts (orgfig-gallery-linspace t0 (+ t0 %d) %d))
       (fig (orgfig-figure :width 640 :height 400 :title \"%s\")))
  (orgfig-line fig ts (orgfig-gallery-map (lambda (s) (sin (/ (- s t0) %d.0))) ts))
  (orgfig-set fig :xscale 'time :grid t :ylabel \"signal\"))"
               (nth 2 span) (nth 3 span) (nth 1 span) (/ (nth 2 span) 10))
      ,@(and (equal (car span) "months") '(:readme t)))
   t))

;;; Twin axes

(orgfig-gallery-define "Twin axes" "twinx" "A second y axis on the right"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Weather\"))
       (m [1 2 3 4 5 6 7 8 9 10 11 12]))
  (orgfig-line fig m [2 3 7 11 15 19 21 20 16 11 6 3] :label \"temperature\" :marker 'circle)
  (orgfig-bar fig m [60 45 50 55 70 65 80 90 60 75 85 70] :yaxis 'right :alpha 0.4
              :color \"#4c72b0\" :label \"rain\")
  (orgfig-set fig :twinx t :xlabel \"month\" :ylabel \"°C\" :y2label \"mm\"
              :y2lim '(0 200) :legend 'upper-left))")

;;; Legends

(dolist (loc '(best upper-right upper-left lower-left lower-right outside))
  (eval
   `(orgfig-gallery-define "Legends" ,(format "legend-%s" loc) ,(format "Legend %s" loc)
      ,(format "(let* ((fig (orgfig-figure :width 480 :height 300 :title \"%s\"))
       (x (orgfig-gallery-linspace 0 10 60)))
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (* v v)) x) :label \"x²\")
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (* 10 v)) x) :label \"10 x\")
  (orgfig-scatter fig [2 5 8] [60 20 40] :label \"samples\" :color \"black\")
  (orgfig-set fig :legend '%s))" loc loc))
   t))

;;; Ticks and axes

(orgfig-gallery-define "Ticks and axes" "ticks-explicit" "Explicit ticks and tick labels"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Explicit ticks\"))
       (x (orgfig-gallery-linspace 0 (* 2 float-pi) 100)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x))
  (orgfig-set fig :xticks (list 0 (/ float-pi 2) float-pi (* 1.5 float-pi) (* 2 float-pi))
              :xticklabels '(\"0\" \"π/2\" \"π\" \"3π/2\" \"2π\")
              :yticks '(-1 0 1) :yticklabels '(\"min\" \"zero\" \"max\") :grid t))")

(orgfig-gallery-define "Ticks and axes" "ticks-ranges" "Automatic ticks on awkward ranges"
  "(let ((fig (orgfig-figure :width 800 :height 500 :rows 2 :cols 2)))
  (orgfig-line fig [0 1] [1e-6 3e-6] :axes 0)
  (orgfig-set fig :axes 0 :title \"tiny values\")
  (orgfig-line fig [0 1] [1234567 1234568] :axes 1)
  (orgfig-set fig :axes 1 :title \"large offset\")
  (orgfig-line fig [-3e9 3e9] [0 1] :axes 2)
  (orgfig-set fig :axes 2 :title \"huge x\")
  (orgfig-line fig [0 1] [5 5] :axes 3)
  (orgfig-set fig :axes 3 :title \"constant y\"))")

(orgfig-gallery-define "Ticks and axes" "axes-inverted" "Inverted axes"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"Depth profile (y inverted)\")))
  (orgfig-line fig [12 11 9 6 5 4.5 4.2] [0 10 20 50 100 200 400] :marker 'circle)
  (orgfig-set fig :yinvert t :xlabel \"temperature (°C)\" :ylabel \"depth (m)\"))")

(orgfig-gallery-define "Ticks and axes" "axes-xinvert" "Inverted x"
  "(let ((fig (orgfig-figure :width 640 :height 400 :title \"x inverted\")))
  (orgfig-line fig [1 2 3 4 5] [1 4 9 16 25] :marker 'square)
  (orgfig-set fig :xinvert t))")

(orgfig-gallery-define "Ticks and axes" "axes-aspect-equal" "Aspect equal: a circle is round"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"aspect equal\"))
       (a (orgfig-gallery-linspace 0 (* 2 float-pi) 100)))
  (orgfig-line fig (orgfig-gallery-map #'cos a) (orgfig-gallery-map #'sin a))
  (orgfig-set fig :aspect 'equal :grid t))")

(orgfig-gallery-define "Ticks and axes" "axes-limits" "Explicit limits, labels and grid kinds"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"xlim (2 8), ylim (-0.5 1.5), grid y\"))
       (x (orgfig-gallery-linspace 0 10 100)))
  (orgfig-line fig x (orgfig-gallery-map (lambda (v) (sin v)) x))
  (orgfig-set fig :xlim '(2 8) :ylim '(-0.5 1.5) :grid 'y))")

;;; Themes

(defconst orgfig-gallery--theme-body
  "  (let ((x (orgfig-gallery-linspace 0 10 80)))
    (dotimes (k 4)
      (orgfig-line fig x (orgfig-gallery-map (lambda (v) (+ k (sin (+ v k)))) x)
                   :label (format \"series %d\" k)))
    (orgfig-scatter fig (orgfig-gallery-linspace 0 10 15) (orgfig-gallery-randn 15 5 0.5)
                    :label \"points\")
    (orgfig-hline fig 2.5 :dash 'dashed :color \"gray\")
    (orgfig-set fig :xlabel \"x\" :ylabel \"y\" :legend 'outside :grid t)
    fig)"
  "The body shared by the theme snippets.")

(orgfig-gallery-define "Themes" "theme-light" "The light theme"
  (concat "(let ((fig (orgfig-figure :width 640 :height 400 :theme 'light :title \"light\")))\n"
          orgfig-gallery--theme-body ")"))

(orgfig-gallery-define "Themes" "theme-dark" "The dark theme"
  (concat "(let ((fig (orgfig-figure :width 640 :height 400 :theme 'dark :title \"dark\")))\n"
          orgfig-gallery--theme-body ")")
  :readme t)

(orgfig-gallery-define "Themes" "theme-dark-heatmap" "Dark theme with a colorbar"
  "(let ((fig (orgfig-figure :width 640 :height 400 :theme 'dark :title \"dark heatmap\")))
  (orgfig-heatmap fig (cl-loop for i below 10
                               vconcat (list (cl-loop for j below 10 vconcat (list (* i j))))))
  fig)")

(orgfig-gallery-define "Themes" "theme-custom" "A user-defined theme"
  (concat "(let ((orgfig-themes
       (cons '(paper :background \"#fdf6e3\" :foreground \"#586e75\" :grid-color \"#eee8d5\"
                     :font-family \"serif\" :font-size 11 :title-size 15 :line-width 2
                     :cycle (\"#268bd2\" \"#dc322f\" \"#859900\" \"#b58900\" \"#6c71c4\"))
             orgfig-themes)))
  (let ((fig (orgfig-figure :width 640 :height 400 :theme 'paper :title \"paper\")))\n"
          orgfig-gallery--theme-body "))"))

;;; Sizes and scale

(orgfig-gallery-define "Sizes and scale" "scale-2" ":scale 2 (HiDPI)"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :scale 2 :title \"scale 2: 1280×800 pixels\"))
       (x (orgfig-gallery-linspace 0 10 30)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :marker 'circle :label \"sin\")
  (orgfig-scatter fig x (orgfig-gallery-map #'cos x) :label \"cos\")
  (orgfig-set fig :legend t :xlabel \"x\" :ylabel \"y\" :grid t))")

(orgfig-gallery-define "Sizes and scale" "size-small" "200×150 pixels"
  "(let* ((fig (orgfig-figure :width 200 :height 150 :title \"Tiny\"))
       (x (orgfig-gallery-linspace 0 10 30)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :label \"sin\")
  (orgfig-set fig :xlabel \"time (s)\" :ylabel \"volts\" :legend t))")

(orgfig-gallery-define "Sizes and scale" "size-small-grid" "200×150 pixels, 2×2 grid"
  "(let ((fig (orgfig-figure :width 200 :height 150 :rows 2 :cols 2 :suptitle \"Tiny grid\")))
  (dotimes (k 4)
    (orgfig-line fig nil (orgfig-gallery-randn 20) :axes k)
    (orgfig-set fig :axes k :title (format \"%d\" k)))
  fig)")

(orgfig-gallery-define "Sizes and scale" "size-large" "4000×3000 pixels"
  "(let* ((fig (orgfig-figure :width 4000 :height 3000 :title \"Large\"))
       (x (orgfig-gallery-linspace 0 10 300)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :label \"sin\")
  (orgfig-scatter fig (orgfig-gallery-randn 200 5 2) (orgfig-gallery-randn 200 0 0.5)
                  :label \"noise\")
  (orgfig-set fig :xlabel \"x\" :ylabel \"y\" :legend t :grid t))")

;;; Vector formats

(orgfig-gallery-define "SVG and PDF" "format-vector" "The same figure as SVG and PDF"
  "(let* ((fig (orgfig-figure :width 640 :height 400 :title \"Vector output\"))
       (x (orgfig-gallery-linspace 0 10 100)))
  (orgfig-line fig x (orgfig-gallery-map #'sin x) :label \"sin\")
  (orgfig-fill-between fig x (orgfig-gallery-map #'sin x) 0 :alpha 0.2)
  (orgfig-bar fig [2 5 8] [0.5 -0.5 0.8] :alpha 0.5 :label \"bars\")
  (orgfig-text fig 5 0.9 \"text stays text-like\" :ha 'center)
  (orgfig-set fig :legend t :grid t))"
  :formats '(svg pdf))

;;;; Running

(defun orgfig-gallery--say (fmt &rest args)
  "Print FMT with ARGS on its own line to standard output."
  (princ (concat (apply #'format fmt args) "\n")))

(defun orgfig-gallery--run-entry (entry dir small)
  "Draw ENTRY into DIR; return a plist of what happened.
SMALL non-nil writes smaller PNG files.  The plist has `:ok',
`:error' (a message), `:seconds', `:files' and `:bytes' (of the PNG)."
  (let* ((name (plist-get entry :name))
         (png (expand-file-name (concat name ".png") dir))
         (start (float-time))
         (result
          (condition-case err
              (progn
                (random (concat "orgfig-gallery-" name))
                (let ((fig (eval (car (read-from-string (plist-get entry :code))) t))
                      (files (list png)))
                  (unless (orgfig-figure-p fig)
                    (error "The snippet returned %S, not a figure" fig))
                  (let ((data (orgfig-render fig 'png small))
                        (coding-system-for-write 'binary))
                    (write-region data nil png nil 'silent))
                  (dolist (fmt (plist-get entry :formats))
                    (let ((file (expand-file-name (format "%s.%s" name fmt) dir)))
                      (orgfig-save fig file)
                      (push file files)))
                  (list :ok t :files (nreverse files)
                        :bytes (file-attribute-size (file-attributes png)))))
            (error (list :ok nil :error (error-message-string err))))))
    (orgfig-close-all)
    (append (list :seconds (- (float-time) start)) result)))

(defun orgfig-gallery--org-escape (code)
  "Return CODE safe to put inside an org source block."
  (replace-regexp-in-string "^\\([ \t]*\\)\\([*]\\|#\\+\\)" "\\1,\\2" code))

(defun orgfig-gallery--write-index (dir results seconds)
  "Write DIR/index.org for RESULTS, (ENTRY . OUTCOME) pairs; SECONDS total."
  (let ((file (expand-file-name "index.org" dir))
        (failures (cl-remove-if (lambda (r) (plist-get (cdr r) :ok)) results))
        section)
    (with-temp-buffer
      (insert "#+title: orgfig gallery\n"
              "#+startup: inlineimages\n"
              "#+options: toc:2 num:nil\n\n"
              (format "Generated by =make gallery= (examples/gallery.el): %d images, "
                      (length results))
              (format "%d failures, %.1f s, orgfig-module %s.\n\n"
                      (length failures) seconds
                      (format-time-string "%Y-%m-%d" nil t))
              "Every snippet is one expression that returns a figure; paste it into an\n"
              "=emacs-lisp= source block and run it with =C-c C-c= to see the figure.\n"
              "The snippets use three small data helpers:\n\n"
              "#+begin_src emacs-lisp\n" orgfig-gallery--helpers-source "\n#+end_src\n")
      (when failures
        (insert "\n* Failures\n\n")
        (dolist (r failures)
          (insert (format "- [[*%s][%s]]: %s\n" (plist-get (car r) :title)
                          (plist-get (car r) :name) (plist-get (cdr r) :error)))))
      (dolist (r results)
        (let ((entry (car r)) (outcome (cdr r)))
          (unless (equal section (plist-get entry :section))
            (setq section (plist-get entry :section))
            (insert (format "\n* %s\n" section)))
          (insert (format "\n** %s\n\n" (plist-get entry :title)))
          (insert "#+begin_src emacs-lisp\n"
                  (orgfig-gallery--org-escape (plist-get entry :code))
                  "\n#+end_src\n\n")
          (if (plist-get outcome :ok)
              (progn
                (insert (format "[[file:%s.png]]\n" (plist-get entry :name)))
                (dolist (f (cdr (plist-get outcome :files)))
                  (insert (format "\nAlso written: [[file:%s]]\n" (file-name-nondirectory f)))))
            (insert (format "*FAILED*: %s\n" (plist-get outcome :error))))))
      (let ((coding-system-for-write 'utf-8))
        (write-region (point-min) (point-max) file nil 'silent)))
    file))

(defun orgfig-gallery-run (dir &optional readme)
  "Draw the gallery into DIR and write DIR/index.org; return the failures.
With README non-nil draw only the entries marked `:readme', as small
PNG files, and write no index."
  (setq dir (file-name-as-directory (expand-file-name dir)))
  (make-directory dir t)
  (let ((orgfig-theme 'light)
        (start (float-time))
        results)
    (dolist (entry orgfig-gallery-entries)
      (when (or (not readme) (plist-get entry :readme))
        (let ((outcome (orgfig-gallery--run-entry entry dir readme)))
          (push (cons entry outcome) results)
          (if (plist-get outcome :ok)
              (orgfig-gallery--say "  %-28s %6.2f s %8d bytes" (plist-get entry :name)
                                   (plist-get outcome :seconds) (plist-get outcome :bytes))
            (orgfig-gallery--say "  %-28s FAILED: %s" (plist-get entry :name)
                                 (plist-get outcome :error))))))
    (setq results (nreverse results))
    (let ((seconds (- (float-time) start))
          (failures (cl-remove-if (lambda (r) (plist-get (cdr r) :ok)) results)))
      (unless readme
        (orgfig-gallery--say "Wrote %s"
                             (orgfig-gallery--write-index dir results seconds)))
      (orgfig-gallery--say "orgfig gallery: %d images, %d failed, %.1f s, in %s"
                           (- (length results) (length failures)) (length failures)
                           seconds dir)
      failures)))

(defun orgfig-gallery-batch ()
  "Run the gallery from the command line; exit 1 if any snippet failed.
Arguments: [OUTDIR] (default gallery/ at the top of the checkout), or
--readme to write the README images into docs/images/."
  (let* ((args command-line-args-left)
         (readme (member "--readme" args))
         (dir (or (car (cl-remove "--readme" args :test #'equal))
                  (expand-file-name (if readme "docs/images" "gallery")
                                    orgfig-gallery--root))))
    (setq command-line-args-left nil)
    (kill-emacs (if (orgfig-gallery-run dir readme) 1 0))))

(provide 'orgfig-gallery)

;;; gallery.el ends here
