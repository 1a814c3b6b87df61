;;; orgfig.el --- Plots rendered in memory, shown in org buffers -*- lexical-binding: t -*-

;; Copyright (C) 2026 The orgfig developers

;; Author: The orgfig developers
;; Maintainer: The orgfig developers
;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: multimedia, outlines, tools
;; URL: https://example.invalid/orgfig

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

;; orgfig draws plots inside Emacs.  A figure is an Emacs object (a
;; user-pointer with a finalizer) held by a dynamic module written in C;
;; it renders with cairo to PNG bytes in memory (or SVG and PDF), and the
;; bytes become an Emacs image.  Nothing is written to disk unless asked.
;;
;;   (orgfig-with-figure (fig :title "Squares")
;;     (orgfig-line fig nil [0 1 4 9 16] :label "n²")
;;     (orgfig-set fig :xlabel "n" :legend t)
;;     (insert-image (orgfig-image fig)))
;;
;; Figures hold only their description and data; `orgfig-close' frees
;; them at once, and the org integration (ob-orgfig.el, orgfig-org.el)
;; closes every figure a source block made when the block ends.  The
;; module counts every byte it holds: see `orgfig-memory' and
;; `orgfig-memory-limit'.
;;
;; This file is the public Lisp API.  The functions named
;; `orgfig--mod-...' are the module's and are internal.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'time-date)

;;;; Customization

(defgroup orgfig nil
  "Plots inside Emacs, rendered in memory."
  :group 'multimedia
  :prefix "orgfig-")

(defcustom orgfig-default-width 800
  "Default figure width in pixels (before `:scale')."
  :type 'natnum)

(defcustom orgfig-default-height 600
  "Default figure height in pixels (before `:scale')."
  :type 'natnum)

(defcustom orgfig-default-scale 1.0
  "Default device pixel ratio of new figures.
A figure with scale 2 renders twice as many pixels in each direction and
`orgfig-image' shows it at its logical size, which stays sharp on HiDPI
screens."
  :type 'number)

(defcustom orgfig-theme 'auto
  "Theme of new figures: a name from `orgfig-themes', or `auto'.
`auto' takes the background and foreground colors of the `default'
face when the figure is rendered, so plots are readable under light and
dark Emacs themes alike."
  :type '(choice (const auto) (symbol :tag "Theme name")))

(defconst orgfig--dark-cycle
  '("#62a0ca" "#ffa556" "#6bbc6b" "#e26868" "#b495d1" "#ae8981" "#eba0d4"
    "#a5a5a5" "#d0d164" "#5dd2dd")
  "The tab10 color cycle lightened by 30%, for dark backgrounds.")

(defcustom orgfig-themes
  `((light :background "#ffffff" :foreground "#262626" :grid-color "#e5e5e5")
    (dark :background "#1e1e1e" :foreground "#d8d8d8" :grid-color "#3c3c3c"
          :cycle ,orgfig--dark-cycle))
  "Named figure themes: an alist of (NAME . PLIST).
Each PLIST holds figure style properties: `:background', `:foreground',
`:grid-color', `:font-family', `:font-size', `:title-size', `:line-width'
and `:cycle' (a list of colors).  Add your own and use them with
`:theme NAME' or `orgfig-theme'."
  :type '(alist :key-type symbol :value-type plist))

(defcustom orgfig-gc-threshold (* 64 1024 1024)
  "Bytes of figure memory after which orgfig asks Emacs to collect garbage.
Emacs's garbage collector counts only Lisp allocations, so figures that
became garbage without being closed would otherwise be reclaimed only
when Lisp happens to allocate enough.  When the bytes orgfig holds grow
by more than this since the last collection orgfig caused, creating a
figure runs `garbage-collect' so their finalizers can free them.  nil
disables this.  orgfig never changes `gc-cons-threshold'."
  :type '(choice (const :tag "Never" nil) natnum))

(defun orgfig--set-memory-limit (symbol value)
  "Set SYMBOL to VALUE and pass the limit to the module if it is loaded."
  (unless (or (null value) (and (natnump value) (> value 0)))
    (user-error "`orgfig-memory-limit' must be nil or a positive integer"))
  (set-default symbol value)
  (when (fboundp 'orgfig--mod-set-limit)
    (orgfig--mod-set-limit value)))

(defcustom orgfig-memory-limit nil
  "Most bytes orgfig may hold at once, or nil for no limit.
The limit is enforced in C: an allocation that would pass it signals
`orgfig-memory-limit' and leaves every figure as it was."
  :type '(choice (const :tag "No limit" nil) natnum)
  :set #'orgfig--set-memory-limit)

(defun orgfig--set-render-threads (symbol value)
  "Set SYMBOL to VALUE and pass the thread count to the module if loaded."
  (unless (and (integerp value) (<= 1 value 8))
    (user-error "`orgfig-render-threads' must be an integer from 1 to 8"))
  (set-default symbol value)
  (when (fboundp 'orgfig--mod-set-threads)
    (orgfig--mod-set-threads value)))

(defcustom orgfig-render-threads 2
  "Threads a render may use at once, from 1 to 8.
Large PNGs are compressed, and scatter plots of many points stamped, in
this many horizontal bands at once; images are the same whatever the
value.  1 keeps every render on Emacs's own thread.  The threads never
touch Lisp and end before the render returns."
  :type '(integer :tag "Threads (1-8)")
  :set #'orgfig--set-render-threads)

;;;; Errors

(define-error 'orgfig-error "orgfig error")
(define-error 'orgfig-closed-figure "Closed orgfig object" 'orgfig-error)
(define-error 'orgfig-invalid-data "Invalid orgfig data" 'orgfig-error)
(define-error 'orgfig-memory-limit "orgfig memory limit reached" 'orgfig-error)
(define-error 'orgfig-out-of-memory "orgfig ran out of memory" 'orgfig-error)
(define-error 'orgfig-render-error "orgfig could not render" 'orgfig-error)
(define-error 'orgfig-file-error "orgfig could not read a file" 'orgfig-error)
(define-error 'orgfig-busy "orgfig object is busy" 'orgfig-error)
(define-error 'orgfig-module-missing "orgfig module is missing" 'orgfig-error)

;;;; Declarations for the bytecode compiler

(declare-function orgfig--mod-figure-new "ext:orgfig-module.c" (props))
(declare-function orgfig--mod-figure-p "ext:orgfig-module.c" (obj))
(declare-function orgfig--mod-live-p "ext:orgfig-module.c" (fig))
(declare-function orgfig--mod-close "ext:orgfig-module.c" (fig))
(declare-function orgfig--mod-set "ext:orgfig-module.c" (fig props))
(declare-function orgfig--mod-plot "ext:orgfig-module.c" (fig kind args props))
(declare-function orgfig--mod-render "ext:orgfig-module.c" (fig format level small))
(declare-function orgfig--mod-info "ext:orgfig-module.c" (fig))
(declare-function orgfig--mod-memory "ext:orgfig-module.c" ())
(declare-function orgfig--mod-set-limit "ext:orgfig-module.c" (bytes))
(declare-function orgfig--mod-set-threads "ext:orgfig-module.c" (n))
(declare-function orgfig--mod-reset-peak "ext:orgfig-module.c" ())
(declare-function orgfig--mod-pack "ext:orgfig-module.c" (seq type))
(declare-function orgfig--mod-column-p "ext:orgfig-module.c" (obj))
(declare-function orgfig--mod-column-info "ext:orgfig-module.c" (col))
(declare-function orgfig--mod-column-values "ext:orgfig-module.c" (col start end))
(declare-function orgfig--mod-dataset-p "ext:orgfig-module.c" (obj))
(declare-function orgfig--mod-dataset-close "ext:orgfig-module.c" (dataset))
(declare-function orgfig--mod-dataset-info "ext:orgfig-module.c" (dataset))
(declare-function orgfig--mod-column "ext:orgfig-module.c" (dataset key))
(declare-function orgfig--mod-read-csv "ext:orgfig-module.c"
                  (file delimiter header comment select type skip max decimal))
(declare-function orgfig--mod-read-binary "ext:orgfig-module.c"
                  (file type ncols big-endian))
(declare-function orgfig--mod-stream-line "ext:orgfig-module.c"
                  (fig spec xcol ycol props))
(declare-function orgfig--mod-stream-hist "ext:orgfig-module.c"
                  (fig spec col props))
(declare-function orgfig--mod-stream-density "ext:orgfig-module.c"
                  (fig spec xcol ycol props))

;;;; Loading and building the module

(defconst orgfig--directory
  (file-name-directory (or load-file-name buffer-file-name default-directory))
  "The directory orgfig.el was loaded from.")

(defun orgfig--source-root ()
  "Return the source tree holding the Makefile, or nil."
  (let ((root (expand-file-name ".." orgfig--directory)))
    (and (file-exists-p (expand-file-name "Makefile" root))
         (file-exists-p (expand-file-name "module/orgfig-module.c" root))
         root)))

(defun orgfig--missing-prerequisites ()
  "Return a list of strings naming what building the module lacks."
  (let (missing)
    (unless (executable-find "make") (push "make" missing))
    (unless (or (executable-find "cc") (executable-find "gcc")
                (executable-find "clang"))
      (push "a C compiler (gcc)" missing))
    (if (not (executable-find "pkg-config"))
        (push "pkg-config" missing)
      (dolist (lib '(("cairo" . "cairo headers (libcairo2-dev)")
                     ("libpng" . "libpng headers (libpng-dev)")))
        (unless (eq 0 (call-process "pkg-config" nil nil nil "--exists" (car lib)))
          (push (cdr lib) missing))))
    (unless (file-exists-p "/usr/include/emacs-module.h")
      (unless (getenv "EMACS_MODULE_H")
        (push "emacs-module.h (emacs-common, or an Emacs built with modules)"
              missing)))
    (nreverse missing)))

(defvar orgfig--build-buffer-name "*orgfig module compilation*"
  "Name of the buffer `orgfig-build-module' compiles in.")

;;;###autoload
(defun orgfig-build-module ()
  "Compile orgfig's C module with `make module', in a compilation buffer.
The command is the one the Makefile uses.  When the build succeeds the
module is loaded."
  (interactive)
  (let ((root (orgfig--source-root)))
    (unless root
      (user-error "Cannot find the orgfig source tree next to %s"
                  orgfig--directory))
    (let* ((default-directory root)
           (buf (compilation-start "make module" 'compilation-mode
                                   (lambda (_) orgfig--build-buffer-name))))
      (with-current-buffer buf
        (add-hook 'compilation-finish-functions #'orgfig--build-finished nil t))
      buf)))

(defun orgfig--build-finished (_buffer status)
  "Load the module after a successful build; STATUS is the exit message."
  (if (string-prefix-p "finished" status)
      (progn (orgfig--load-module) (message "The orgfig module was built and loaded"))
    (message "Building the orgfig module failed; see %s" orgfig--build-buffer-name)))

(defvar orgfig--settings-in-c nil
  "The (LIMIT . THREADS) last given to the module, or nil.")

(defun orgfig--sync-settings ()
  "Give the module `orgfig-memory-limit' and `orgfig-render-threads'.
Only when they changed since the last call, so that a `setq' or a
`let' of either takes effect at the next call into orgfig, at the cost
of two comparisons per call otherwise."
  (unless (and (eql (car orgfig--settings-in-c) orgfig-memory-limit)
               (eql (cdr orgfig--settings-in-c) orgfig-render-threads))
    (setq orgfig--settings-in-c nil)
    (orgfig--mod-set-limit orgfig-memory-limit)
    (orgfig--mod-set-threads orgfig-render-threads)
    (setq orgfig--settings-in-c
          (cons orgfig-memory-limit orgfig-render-threads))))

(defun orgfig--load-module ()
  "Load the module; return non-nil on success."
  (if (featurep 'orgfig-module)
      (progn (orgfig--sync-settings) t)
    (let ((file (expand-file-name (concat "orgfig-module" module-file-suffix)
                                  orgfig--directory)))
      (when (file-exists-p file)
        (module-load file)
        (setq orgfig--settings-in-c nil)
        (orgfig--sync-settings)
        t))))

(defun orgfig--ensure-module ()
  "Load the module, offer to build it, or signal what is missing."
  (unless (orgfig--load-module)
    (let ((missing (orgfig--missing-prerequisites)))
      (cond
       ((and (not missing) (not noninteractive) (orgfig--source-root)
             (y-or-n-p "The orgfig C module is not built.  Build it now? "))
        (orgfig-build-module)
        (signal 'orgfig-module-missing
                (list "The module is being built; orgfig works once it is loaded")))
       (t
        (signal 'orgfig-module-missing
                (list (concat
                       (format "orgfig-module%s is not built in %s"
                               module-file-suffix orgfig--directory)
                       (if missing
                           (format "; missing: %s" (string-join missing ", "))
                         "; run `make module' or M-x orgfig-build-module")))))))))

;;;; Internal variables

(defvar orgfig--registry (make-hash-table :test #'eq :weakness 'key)
  "Open figures and datasets, each mapped to a plist of Lisp-side facts.
The table is weak, so it never keeps a garbage figure alive.")

(defvar orgfig--collectors nil
  "Active collectors: each a cons whose car lists objects created in it.")

(defvar orgfig-creation-context nil
  "A string describing where new figures are being made, or nil.
The org integration binds it while a source block runs; it shows in
`orgfig-figure-info' as `:where' and in `orgfig-list-figures'.")

(defvar orgfig--after-create-functions nil
  "Functions called with each new figure or dataset.")

(defvar orgfig--gc-floor 0
  "Bytes held after the last collection orgfig asked for.")

(defconst orgfig--style-keys
  '(:background :foreground :grid-color :font-family :font-size :title-size
                :line-width :cycle)
  "Figure properties that themes set.")

;;;; Internal functions

(defmacro orgfig--collecting (var &rest body)
  "Run BODY with VAR bound to a fresh collector.
Every figure and dataset created while BODY runs is recorded in it (and
in every enclosing collector); `orgfig--collected' returns them."
  (declare (indent 1) (debug (symbolp body)))
  `(let* ((,var (list nil))
          (orgfig--collectors (cons ,var orgfig--collectors)))
     ,@body))

(defun orgfig--collected (collector)
  "Return the objects recorded in COLLECTOR, oldest first."
  (reverse (car collector)))

(defun orgfig--register (obj facts)
  "Record OBJ with the plist FACTS in the registry and active collectors."
  (puthash obj facts orgfig--registry)
  (dolist (c orgfig--collectors)
    (push obj (car c)))
  (run-hook-with-args 'orgfig--after-create-functions obj))

(defun orgfig--props-vector (fn props)
  "Check that PROPS is a property list for FN and return it as a vector."
  (unless (proper-list-p props)
    (signal 'orgfig-invalid-data
            (list (format "%s: the properties are not a proper list" fn) props)))
  (when (cl-oddp (length props))
    (signal 'orgfig-invalid-data
            (list (format "%s: the property list has an odd number of elements" fn)
                  props)))
  (cl-loop for (k _v) on props by #'cddr
           unless (keywordp k)
           do (signal 'wrong-type-argument (list 'keywordp k)))
  (vconcat props))

(defun orgfig--plist-remove (plist keys)
  "Return PLIST without the properties in KEYS."
  (cl-loop for (k v) on plist by #'cddr
           unless (memq k keys) append (list k v)))

(defun orgfig--color-hex (color)
  "Return COLOR as \"#rrggbb\", or nil if Emacs cannot resolve it."
  (when-let* (((stringp color))
              ((not (string-prefix-p "unspecified" color)))
              (vals (ignore-errors (color-values color))))
    (apply #'format "#%02x%02x%02x" (mapcar (lambda (v) (/ v 256)) vals))))

(defun orgfig--blend (a b frac)
  "Mix hex colors A and B, taking FRAC of B."
  (let ((ca (color-values a)) (cb (color-values b)))
    (apply #'format "#%02x%02x%02x"
           (cl-mapcar (lambda (x y) (round (/ (+ (* (- 1 frac) x) (* frac y)) 256.0)))
                      ca cb))))

(defun orgfig--auto-theme ()
  "Return style properties taken from the `default' face now."
  (let ((bg (orgfig--color-hex (face-background 'default nil t)))
        (fg (orgfig--color-hex (face-foreground 'default nil t))))
    (if (and bg fg)
        (append (list :background bg :foreground fg
                      :grid-color (orgfig--blend bg fg 0.15))
                ;; The default cycle is too dim on a dark background.
                (when (< (orgfig--luminance bg) 0.4)
                  (list :cycle orgfig--dark-cycle)))
      (cdr (assq 'light orgfig-themes)))))

(defun orgfig--luminance (color)
  "Return the relative luminance of the hex COLOR, from 0 to 1."
  (let ((v (mapcar (lambda (c) (/ c 65535.0)) (color-values color))))
    (+ (* 0.2126 (nth 0 v)) (* 0.7152 (nth 1 v)) (* 0.0722 (nth 2 v)))))

(defun orgfig--theme-props (theme)
  "Return the style property list of THEME (a name or `auto')."
  (cond ((eq theme 'auto) (orgfig--auto-theme))
        ((assq theme orgfig-themes) (cdr (assq theme orgfig-themes)))
        (t (signal 'orgfig-invalid-data
                   (list (format "orgfig-figure: unknown :theme %S (known: auto, %s)"
                                 theme (mapconcat (lambda (x) (symbol-name (car x)))
                                                  orgfig-themes ", "))
                         theme)))))

(defun orgfig--maybe-gc ()
  "Collect garbage when figure memory grew past `orgfig-gc-threshold'."
  (when orgfig-gc-threshold
    (let ((bytes (plist-get (orgfig--mod-memory) :bytes)))
      (when (< bytes orgfig--gc-floor)
        (setq orgfig--gc-floor bytes))
      (when (> bytes (+ orgfig--gc-floor orgfig-gc-threshold))
        (garbage-collect)
        (setq orgfig--gc-floor (plist-get (orgfig--mod-memory) :bytes))))))

(defvar orgfig--progress-delay 0.3
  "Seconds long work runs before its progress is shown.")

(defvar orgfig--progress-state nil
  "The work being reported, or nil between pieces of work.
A vector [START LAST SHOWN]: when its first report came, when its last
one came, and when a message was last shown (nil: none yet).")

(defun orgfig--progress (fraction)
  "Report the progress FRACTION (0 to 1) of long work in the echo area.
The module calls this during long renders and file reads.  Work that
ends within `orgfig--progress-delay' seconds shows nothing; after that a
message at most every 0.2 s, and \"done\" when the work ends.  A report
more than a second after the last one starts new work (the last one was
stopped or failed).  Messages are not logged in *Messages*."
  (let ((now (float-time))
        (st orgfig--progress-state)
        (message-log-max nil))
    (when (or (null st) (> (- now (aref st 1)) 1.0))
      (setq st (vector now now nil)))
    (aset st 1 now)
    (cond ((>= fraction 1)
           (when (aref st 2)
             (message "orgfig: working... done"))
           (setq st nil))
          ((and (>= (- now (aref st 0)) orgfig--progress-delay)
                (or (null (aref st 2)) (>= (- now (aref st 2)) 0.2)))
           (aset st 2 now)
           (message "orgfig: working... %d%% (C-g to stop)" (round (* 100 fraction)))))
    (setq orgfig--progress-state st)))

(defun orgfig--check-figure (fig)
  "Signal unless FIG is an orgfig figure."
  (unless (orgfig-figure-p fig)
    (signal 'wrong-type-argument (list 'orgfig-figure-p fig))))

(defun orgfig--check-open (fig fn)
  "Signal unless FIG is an open figure; FN names the caller in the message."
  (orgfig--check-figure fig)
  (unless (orgfig--mod-live-p fig)
    (signal 'orgfig-closed-figure
            (list (format "%s: the figure has been closed" fn) fig))))

(defun orgfig-data-p (obj)
  "Return t if OBJ is data a plot function accepts.
That is a vector or proper list of numbers, a column (see
`orgfig-column-p'), or a file source (see `orgfig-file-source')."
  (and (or (and (vectorp obj) (cl-every #'numberp obj))
           (and (proper-list-p obj) (cl-every #'numberp obj))
           (orgfig-column-p obj)
           (orgfig-file-source-p obj))
       t))

(defun orgfig-column-key-p (obj)
  "Return t if OBJ names a dataset column: a string or a natural number."
  (or (stringp obj) (natnump obj)))

;;;; Figures

(defun orgfig-figure-p (obj)
  "Return t if OBJ is an orgfig figure, open or closed."
  (and (user-ptrp obj) (orgfig--mod-figure-p obj)))

(defun orgfig-live-p (fig)
  "Return t if FIG is an open figure.
Signal `wrong-type-argument' if FIG is not a figure."
  (orgfig--mod-live-p fig))

(defun orgfig-figure (&rest props)
  "Make a new figure and return it.
PROPS is a property list:
  :width :height   size in pixels (defaults `orgfig-default-width'
                   and `orgfig-default-height')
  :scale           device pixel ratio (default `orgfig-default-scale')
  :title           title (of the only axes; of the figure when it has
                   several)
  :suptitle        figure title above all axes
  :rows :cols      a grid of axes; plot functions pick one with :axes N
  :sharex :sharey  share limits between the axes of the grid
  :theme           a name from `orgfig-themes', or `auto' (default
                   `orgfig-theme')
and the style properties `:background', `:foreground', `:grid-color',
`:font-family', `:font-size', `:title-size', `:line-width' and `:cycle',
which override the theme.
The figure is freed by `orgfig-close', or when it becomes garbage."
  (let* ((props (append (orgfig--props-vector "orgfig-figure" props) nil))
         (theme (if (plist-member props :theme) (plist-get props :theme) orgfig-theme))
         (own (orgfig--plist-remove props '(:theme)))
         (style (orgfig--plist-remove (orgfig--theme-props theme)
                                      (cl-loop for (k _v) on own by #'cddr collect k)))
         (full (append (list :width orgfig-default-width
                             :height orgfig-default-height
                             :scale orgfig-default-scale)
                       style own)))
    (orgfig--ensure-module)
    (orgfig--maybe-gc)
    ;; Later properties win: drop earlier duplicates before handing to C.
    (let* ((clean (cl-loop for tail on full by #'cddr
                           unless (plist-member (cddr tail) (car tail))
                           append (list (car tail) (cadr tail))))
           (fig (orgfig--mod-figure-new (vconcat clean))))
      (orgfig--register fig (list :created (float-time)
                                  :where orgfig-creation-context
                                  :theme theme
                                  :explicit (cl-loop for (k _v) on own by #'cddr
                                                     collect k)))
      fig)))

(defun orgfig-close (obj)
  "Close OBJ, a figure (or a dataset), freeing all its memory at once.
Closing twice is fine; any other use of a closed figure signals
`orgfig-closed-figure'.  Return nil."
  (cond ((orgfig-figure-p obj) (orgfig--mod-close obj))
        ((orgfig-dataset-p obj) (orgfig--mod-dataset-close obj))
        (t (signal 'wrong-type-argument (list 'orgfig-figure-p obj))))
  (remhash obj orgfig--registry)
  nil)

(defmacro orgfig-with-figure (spec &rest body)
  "Make a figure, run BODY, and close the figure however BODY exits.
SPEC is (VAR &rest PROPS): VAR is bound to (orgfig-figure PROPS...).
Return the value of BODY."
  (declare (indent 1) (debug ((symbolp &rest form) body)))
  (let ((var (car spec)))
    `(let ((,var (orgfig-figure ,@(cdr spec))))
       (unwind-protect (progn ,@body)
         (orgfig-close ,var)))))

(defun orgfig-figures ()
  "Return the open figures, oldest first.
The list does not keep closed or garbage figures alive."
  (let (figs)
    (maphash (lambda (obj _facts)
               (when (and (orgfig-figure-p obj) (orgfig--mod-live-p obj))
                 (push obj figs)))
             orgfig--registry)
    (sort figs (lambda (a b) (< (plist-get (orgfig--mod-info a) :id)
                                (plist-get (orgfig--mod-info b) :id))))))

;;;###autoload
(defun orgfig-close-all ()
  "Close every open figure and dataset; return how many were closed."
  (interactive)
  (let ((n 0))
    (maphash (lambda (obj _facts)
               (when (if (orgfig-figure-p obj)
                         (orgfig--mod-live-p obj)
                       (plist-get (orgfig--mod-dataset-info obj) :live))
                 (orgfig-close obj)
                 (cl-incf n)))
             (copy-hash-table orgfig--registry))
    (when (called-interactively-p 'interactive)
      (message "orgfig: closed %d object%s" n (if (= n 1) "" "s")))
    n))

(defun orgfig-figure-info (fig)
  "Return a plist describing FIG.
Keys: `:id', `:width', `:height', `:scale', `:bytes' (bytes held, with
the data columns it uses), `:artists' (plots drawn on it), `:title',
`:live', `:created' (a float time), `:where' (see
`orgfig-creation-context') and `:theme'."
  (let ((facts (gethash fig orgfig--registry)))
    (append (orgfig--mod-info fig)
            (list :created (plist-get facts :created)
                  :where (plist-get facts :where)
                  :theme (plist-get facts :theme)))))

(defun orgfig-set (fig &rest props)
  "Set properties of FIG from the property list PROPS; return FIG.
Figure properties: `:title', `:suptitle', `:width', `:height', `:scale'
and the style properties of `orgfig-figure'.  Axes properties apply to
the axes picked by `:axes' (default 0): `:title', `:xlabel', `:ylabel',
`:xlim' and `:ylim' ((LO HI), or nil for automatic), `:xscale' and
`:yscale' (linear or log; `:xscale' also time, for Unix seconds),
`:grid' (nil, t, x or y), `:legend' (nil, t or best, upper-right,
upper-left, lower-left, lower-right, outside), `:xticks' and `:yticks'
\(positions) with `:xticklabels' and `:yticklabels', `:aspect' (auto,
equal or a number), `:xinvert', `:yinvert', `:twinx', `:axis' (nil
hides the spines, ticks, tick labels, axis labels and grid, like
matplotlib's axis(\='off'); default t) and, for the right axis,
`:y2label', `:y2lim' and `:y2scale'."
  (prog1 (orgfig--mod-set fig (orgfig--props-vector "orgfig-set" props))
    (when (plist-member props :xscale)
      (orgfig--note-xscale fig (or (plist-get props :axes) 0)))))

(defun orgfig--note-xscale (fig axes)
  "Record that the x scale of FIG's AXES was chosen by the caller."
  (let* ((facts (gethash fig orgfig--registry))
         (chosen (plist-get facts :xscale-set)))
    (unless (memql axes chosen)
      (puthash fig (plist-put facts :xscale-set (cons axes chosen)) orgfig--registry))))

;;;; Plotting

(defun orgfig--time-column-p (obj)
  "Return non-nil when OBJ is a column of dates read as Unix seconds."
  (and (user-ptrp obj)
       (orgfig--mod-column-p obj)
       (plist-get (orgfig--mod-column-info obj) :time)))

(defun orgfig--plot (fig kind args props)
  "Add a plot of KIND to FIG with data ARGS (a vector) and PROPS.
When the x values are a column of dates (`orgfig-read-csv' reads them
as Unix seconds), the axes get a time scale, unless the caller chose
their x scale with `orgfig-set'."
  (orgfig--reject-file-sources kind args)
  (prog1 (orgfig--mod-plot fig kind args
                           (orgfig--props-vector (format "orgfig-%s" kind) props))
    (let ((axes (or (plist-get props :axes) 0)))
      (when (and (memq kind '(line scatter hist fill-between errorbar area))
                 (orgfig--time-column-p (aref args 0))
                 (not (memql axes (plist-get (gethash fig orgfig--registry) :xscale-set))))
        (orgfig--mod-set fig (vector :axes axes :xscale 'time))))))

(defun orgfig-line (fig x y &rest props)
  "Draw a line through points X, Y on FIG; return FIG.
X and Y are sequences of numbers or columns; X nil means 0, 1, ...
A NaN in either splits the line, and a point missing either coordinate
does not widen the axes' range.  PROPS: `:label', `:color', `:width'
\(line width), `:dash' (solid, dashed, dotted, dashdot), `:marker'
\(none, circle, square, triangle, diamond, plus, x), `:marker-size',
`:step' (pre, post, mid), `:alpha', `:axes', `:yaxis' (left, right).
Y (and X) may also be file sources of one file (`orgfig-file-source'):
the file is then streamed and only a decimated line is kept; a
streamed X must be sorted."
  (if (or (orgfig-file-source-p x) (orgfig-file-source-p y))
      (orgfig--stream 'line fig x y props)
    (orgfig--plot fig 'line (vector x y) props)))

(defun orgfig-scatter (fig x y &rest props)
  "Draw a marker at each point X, Y on FIG; return FIG.
PROPS: `:size' (marker area in points², one number or one per point),
`:color' (a color, or numbers mapped through `:cmap' between `:vmin'
and `:vmax'), `:colorbar', `:colorbar-label' (a string beside the
colorbar), `:marker', `:alpha', `:label', `:axes', `:snap' (t, the
default: in PNG output each marker is centred on its pixel, as
matplotlib does, so all look alike and crisp; nil: placed to 1/8
pixel) and `:density' (t: count points per pixel and color the counts,
for millions of points; its colorbar shows the counts on a log
scale).  With `:density' t, X
and Y may be file sources of one file (`orgfig-file-source'), streamed
into a grid of counts."
  (if (or (orgfig-file-source-p x) (orgfig-file-source-p y))
      (progn
        (unless (plist-get props :density)
          (signal 'orgfig-invalid-data
                  (list "orgfig-scatter: a file source is only streamed with :density t")))
        (orgfig--stream 'density fig x y props))
    (orgfig--plot fig 'scatter (vector x y) props)))

(defun orgfig-bar (fig labels values &rest props)
  "Draw one bar per element of LABELS with height VALUES on FIG; return FIG.
LABELS are strings (or numbers).  PROPS: `:horizontal', `:group' (t: sit
beside other grouped bars), `:stack' (t: stack on the previous bars),
`:bar-width' (fraction of the slot), `:color', `:edgecolor', `:alpha',
`:label', `:axes'."
  (orgfig--plot fig 'bar (vector labels values) props))

(defun orgfig-hist (fig data &rest props)
  "Draw a histogram of the numbers DATA on FIG; return FIG.
PROPS: `:bins' (a count, or auto for the Freedman-Diaconis rule),
`:range' ((LO HI)), `:density', `:cumulative', `:histtype' (bar or
step), `:color', `:alpha', `:label', `:axes'.
DATA may also be a file source (`orgfig-file-source'): the file is
streamed, twice unless both `:range' and a bin count are given, and
only the counts are kept; `:bins' auto then estimates the
Freedman-Diaconis width from a sample of 65536 values."
  (if (orgfig-file-source-p data)
      (orgfig--stream 'hist fig nil data props)
    (orgfig--plot fig 'hist (vector data) props)))

(defun orgfig-heatmap (fig matrix &rest props)
  "Draw MATRIX (a sequence of rows of numbers) as colored cells on FIG.
Return FIG.  PROPS: `:cmap' (viridis, plasma, inferno, magma, cividis,
gray, RdBu, coolwarm, each also with _r), `:vmin', `:vmax',
`:colorbar' (default t), `:colorbar-label' (a string beside the
colorbar), `:extent' ((X0 X1 Y0 Y1)), `:annotate' (t or a format such
as \"%.1f\"), `:xlabels', `:ylabels', `:axes'."
  (orgfig--plot fig 'heatmap (vector matrix) props))

(defun orgfig-fill-between (fig x y1 y2 &rest props)
  "Fill the region between Y1 and Y2 over X on FIG; return FIG.
Y2 may be a number.  PROPS: `:color', `:alpha', `:label', `:axes'."
  (orgfig--plot fig 'fill-between (vector x y1 y2) props))

(defun orgfig-errorbar (fig x y yerr &rest props)
  "Draw points X, Y with error bars YERR on FIG; return FIG.
YERR is a sequence or a number (symmetric), or a list (LOW HIGH) of two
sequences.  Points are drawn as circles without a connecting line.
PROPS: `:capsize' (points, default 3), `:marker', `:line' (t: connect
the points), `:width', `:color', `:label', `:axes'."
  (orgfig--plot fig 'errorbar (vector x y yerr) props))

(defun orgfig-area (fig x ys &rest props)
  "Draw the sequences YS stacked as filled areas over X on FIG; return FIG.
PROPS: `:labels', `:colors', `:alpha', `:axes'."
  (orgfig--plot fig 'area (vector x ys) props))

(defun orgfig-box (fig datasets &rest props)
  "Draw a box plot of each sequence in DATASETS on FIG; return FIG.
Whiskers reach the furthest data within `:whis' (default 1.5) times the
interquartile range; points beyond are drawn as outliers.  PROPS:
`:labels', `:horizontal', `:whis', `:color', `:axes'."
  (orgfig--plot fig 'box (vector datasets) props))

(defun orgfig-pie (fig labels values &rest props)
  "Draw a pie chart of VALUES named by LABELS on FIG; return FIG.
PROPS: `:colors', `:autopct' (t or a format such as \"%.0f%%\"),
`:start-angle', `:donut' (inner radius as a fraction), `:axes'."
  (orgfig--plot fig 'pie (vector labels values) props))

(defun orgfig-text (fig x y string &rest props)
  "Write STRING at data coordinates X, Y on FIG; return FIG.
PROPS: `:size', `:color', `:ha' (left, center, right), `:va' (top,
center, bottom, baseline), `:rotation' (degrees), `:axes'."
  (orgfig--plot fig 'text (vector x y string) props))

(defun orgfig-hline (fig y &rest props)
  "Draw a horizontal reference line at Y across FIG's axes; return FIG.
PROPS: `:color', `:width', `:dash', `:label', `:axes'."
  (orgfig--plot fig 'hline (vector y) props))

(defun orgfig-vline (fig x &rest props)
  "Draw a vertical reference line at X across FIG's axes; return FIG.
PROPS: `:color', `:width', `:dash', `:label', `:axes'."
  (orgfig--plot fig 'vline (vector x) props))

;;;; Rendering

(defun orgfig--apply-auto-theme (fig)
  "Refresh FIG's colors from the `default' face if its theme is `auto'."
  (let ((facts (gethash fig orgfig--registry)))
    (when (eq (plist-get facts :theme) 'auto)
      (let ((style (orgfig--plist-remove (orgfig--auto-theme)
                                         (plist-get facts :explicit))))
        (when style
          (orgfig--mod-set fig (vconcat style)))))))

(defun orgfig-render (fig &optional format small)
  "Render FIG and return the bytes as a unibyte string.
FORMAT is png (the default), svg or pdf.  SMALL non-nil makes a smaller
PNG more slowly, for files; the default is tuned for display."
  (orgfig--check-figure fig)
  (when (orgfig--mod-live-p fig)
    (orgfig--apply-auto-theme fig))
  (orgfig--mod-render fig (or format 'png) nil small))

(defun orgfig-image (fig &rest image-props)
  "Render FIG to PNG and return an Emacs image of it.
IMAGE-PROPS are passed to `create-image'.  A figure with `:scale' S is
shown at 1/S of its pixel size, that is at its logical size."
  (orgfig--check-open fig "orgfig-image")
  (let* ((data (orgfig-render fig 'png))
         (scale (plist-get (orgfig--mod-info fig) :scale)))
    (apply #'create-image data 'png t
           (append image-props
                   (unless (plist-member image-props :scale)
                     (list :scale (/ 1.0 scale)))))))

(defun orgfig-save (fig file)
  "Write FIG to FILE in the format named by its extension; return FILE.
The extension is png, svg or pdf."
  (orgfig--check-open fig "orgfig-save")
  (let* ((ext (downcase (or (file-name-extension file) "")))
         (format (cdr (assoc ext '(("png" . png) ("svg" . svg) ("pdf" . pdf))))))
    (unless format
      (signal 'orgfig-invalid-data
              (list (format "orgfig-save: FILE %S must end in .png, .svg or .pdf" file)
                    file)))
    (let ((data (orgfig-render fig format t))
          (coding-system-for-write 'binary))
      (write-region data nil file nil 'silent))
    file))

;;;; Memory

(defun orgfig-memory ()
  "Return a plist of orgfig's memory use.
`:figures' open figures, `:datasets' open datasets, `:columns' live
data columns, `:bytes' bytes held now, `:peak-bytes' the most held at
once, `:limit' `orgfig-memory-limit', `:allocations' allocations made,
`:finalized' figures freed by the garbage collector."
  (orgfig--ensure-module)
  (orgfig--mod-memory))

;;;; Columns

(defun orgfig-pack (seq &optional type)
  "Pack the numbers in SEQ into a column, for reuse across figures.
TYPE is float64 (the default), float32, which halves the memory, or
time: float64 numbers that are Unix seconds (see `orgfig-parse-time'),
so that a plot with the column as x gets a time axis.  Every plot
function accepts a column wherever it accepts a sequence."
  (orgfig--ensure-module)
  (orgfig--mod-pack seq type))

(defun orgfig-column-values (column &optional start end)
  "Return the values of COLUMN from START to END as a vector of floats.
START defaults to 0 and END (exclusive) to the column's length, so
\=(orgfig-column-values COL 0 10) shows its first ten values.  This
copies the values into the Lisp heap: take small slices of big columns."
  (orgfig--ensure-module)
  (let ((n (plist-get (orgfig--mod-column-info column) :length)))
    (dolist (arg (list start end))
      (unless (or (null arg) (integerp arg))
        (signal 'wrong-type-argument (list 'integerp arg))))
    (orgfig--mod-column-values column (or start 0) (or end n))))

(defconst orgfig--time-regexp
  (rx string-start (* blank) (? (any "<["))
      (group (= 4 digit)) "-" (group (= 2 digit)) "-" (group (= 2 digit))
      ;; Org's day name, in any language: "Sun", "Mo.", "mer."
      (? " " (+ (not (any digit blank "<>[]"))))
      (? (any "Tt ")
         (group (= 2 digit)) ":" (group (= 2 digit))
         (? ":" (group (= 2 digit) (? (any ".,") (+ digit))))
         (? (or (any "Zz")
                (seq (group (any "+-")) (group (= 2 digit))
                     (? (? ":") (group (= 2 digit)))))))
      (? (any ">]")) (* blank) string-end)
  "What `orgfig-parse-time' reads.")

(defun orgfig-parse-time (string)
  "Return the date and time in STRING as Unix seconds, or nil.
STRING is an ISO 8601 date or date and time, as `orgfig-read-csv'
reads them (2026-11-22, 2026-11-22 10:05, 2026-11-22T10:05:07.5+01:00),
or an Org timestamp such as <2026-11-22 Sun> or [2026-11-22 Sun 10:05].
A time without a zone is read as UTC, the zone time axes label in, so
the axis shows the times as written.  Impossible dates and times (the
30th of February, 24:00) give nil."
  (when (and (stringp string) (string-match orgfig--time-regexp string))
    (let* ((num (lambda (i) (if (match-beginning i)
                                (string-to-number (match-string i string))
                              0)))
           (year (funcall num 1)) (month (funcall num 2)) (day (funcall num 3))
           (hour (funcall num 4)) (minute (funcall num 5))
           (second (if (match-beginning 6)
                       (string-to-number
                        (string-replace "," "." (match-string 6 string)))
                     0))
           (zone (if (match-beginning 7)
                     (* (if (equal (match-string 7 string) "-") -1 1)
                        (+ (* 3600 (funcall num 8)) (* 60 (funcall num 9))))
                   0)))
      (when (and (<= 1 month 12) (<= 1 day (date-days-in-month year month))
                 (<= hour 23) (<= minute 59) (< second 61)
                 (<= (funcall num 8) 23) (<= (funcall num 9) 59))
        ;; One rounding, as the C reader does: whole seconds (exact) plus
        ;; the seconds of the minute.
        (+ (- (time-convert (encode-time (list 0 minute hour day month year nil nil t))
                            'integer)
              zone)
           (float second))))))

(defun orgfig-column-p (obj)
  "Return t if OBJ is an orgfig column."
  (and (user-ptrp obj) (orgfig--mod-column-p obj)))

(defun orgfig-column-info (column)
  "Return a plist describing COLUMN: `:length', `:type', `:bytes', `:name'.
`:time' is t for a column of dates and times that `orgfig-read-csv'
read as Unix seconds: plotted as x, it gives the axes a time scale."
  (orgfig--mod-column-info column))

;; Cells of text that hold dates (tables, regions), for time axes.

(defun orgfig--dates-p (cells)
  "Return non-nil when every non-blank one of CELLS, and one at least, is a date.
A date is a string `orgfig-parse-time' reads."
  (let ((any nil))
    (and (cl-every (lambda (c)
                     (or (null c) (and (stringp c) (string-blank-p c))
                         (and (orgfig-parse-time c) (setq any t))))
                   cells)
         any)))

(defun orgfig--pack-dates (cells)
  "Return the strings CELLS read by `orgfig-parse-time' as a time column.
Cells without a date are NaN."
  (orgfig-pack (vconcat (mapcar (lambda (c) (or (orgfig-parse-time c) 0.0e+NaN)) cells))
               'time))

;;;; Datasets

(defun orgfig-dataset-p (obj)
  "Return t if OBJ is an orgfig dataset, open or closed."
  (and (user-ptrp obj) (orgfig--mod-dataset-p obj)))

(defun orgfig--register-dataset (ds)
  "Record the new dataset DS like a figure, for the automatic close."
  (orgfig--register ds (list :created (float-time) :where orgfig-creation-context))
  ds)

(defun orgfig-read-csv (file &rest props)
  "Read the CSV or TSV FILE in C and return a dataset of its columns.
The data never enters the Lisp heap: take columns with `orgfig-column'
and pass them to any plot function.  PROPS:
  :delimiter  a one-character string; default: detected among comma,
              tab and semicolon from the first line
  :header     nil when the first line is data (columns are then named
              \"1\", \"2\", ...); default t
  :comment    lines starting with this character are skipped (default
              \"#\"; nil for none)
  :columns    a list of column names and 0-based indices to keep
  :type       float64 (default) or float32, which halves the memory
  :skip-rows  lines to skip at the start of the file
  :max-rows   read at most this many data rows
  :decimal    the decimal point: \".\" (default) or \",\", as in \"1,5\"
              (the delimiter is then detected among tab and semicolon).
Dates and times in ISO 8601 form (2026-11-22, 2026-11-22 10:05,
2026-11-22T10:05:07.5+01:00; UTC unless a zone is given) become Unix
seconds, in float64 even with `:type' float32, and a plot with such a
column as x gets a time axis.  Empty or unparsable cells become NaN.
Long reads show progress and stop cleanly on \[keyboard-quit]."
  (orgfig--ensure-module)
  (let* ((props (append (orgfig--props-vector "orgfig-read-csv" props) nil))
         (unknown (cl-set-difference
                   (cl-loop for (k _v) on props by #'cddr collect k)
                   '(:delimiter :header :comment :columns :type :skip-rows :max-rows
                     :decimal))))
    (when unknown
      (signal 'orgfig-invalid-data
              (list (format "orgfig-read-csv: unknown property %s" (car unknown))
                    (car unknown))))
    (unless (stringp file)
      (signal 'wrong-type-argument (list 'stringp file)))
    (let ((type (plist-get props :type)))
      (unless (memq type '(nil float64 float32))
        (signal 'orgfig-invalid-data
                (list "orgfig-read-csv: :type must be float64 or float32" type))))
    (orgfig--maybe-gc)
    (orgfig--register-dataset
     (orgfig--mod-read-csv (encode-coding-string (expand-file-name file)
                                                 (or file-name-coding-system 'utf-8))
                           (plist-get props :delimiter)
                           (if (plist-member props :header) (plist-get props :header) t)
                           (if (plist-member props :comment) (plist-get props :comment) "#")
                           (plist-get props :columns)
                           (plist-get props :type)
                           (plist-get props :skip-rows)
                           (plist-get props :max-rows)
                           (plist-get props :decimal)))))

(defun orgfig-read-binary (file &rest props)
  "Read the raw float array FILE in C and return a dataset.
PROPS: `:type' float64 (default) or float32, `:columns' the number of
interleaved columns (default 1; they are named \"1\", \"2\", ...),
`:big-endian' non-nil when the file is big-endian."
  (orgfig--ensure-module)
  (let ((props (append (orgfig--props-vector "orgfig-read-binary" props) nil)))
    (unless (stringp file)
      (signal 'wrong-type-argument (list 'stringp file)))
    (orgfig--register-dataset
     (orgfig--mod-read-binary (encode-coding-string (expand-file-name file)
                                                    (or file-name-coding-system 'utf-8))
                              (plist-get props :type)
                              (plist-get props :columns)
                              (plist-get props :big-endian)))))

(defun orgfig-column (dataset key)
  "Return the column of DATASET named by KEY.
KEY is a column name (a string) or a 0-based index.  The column stays
valid after DATASET is closed, for as long as something uses it."
  (orgfig--mod-column dataset key))

(defun orgfig-dataset-info (dataset)
  "Return a plist describing DATASET.
Keys: `:source' (the file), `:rows', `:columns' (the names), `:bytes'
and `:live'."
  (orgfig--mod-dataset-info dataset))

(defun orgfig-column-names (dataset)
  "Return the column names of DATASET."
  (plist-get (orgfig--mod-dataset-info dataset) :columns))

;;;; Streaming file sources

(cl-defstruct (orgfig-file-source
               (:constructor orgfig--file-source-create)
               (:copier nil))
  "One column of a file, which plot functions stream instead of loading.
Make one with `orgfig-file-source'."
  file column format type columns big-endian delimiter header comment decimal)

(defconst orgfig--file-source-keys
  '(:column :format :type :columns :big-endian :delimiter :header :comment :decimal)
  "Properties `orgfig-file-source' accepts.")

(defun orgfig--file-source-format (file)
  "Guess the format of FILE from its extension: csv or binary."
  (if (member (downcase (or (file-name-extension file) "")) '("bin" "f64" "f32"))
      'binary
    'csv))

(defun orgfig-file-source (file &rest props)
  "Return a file source: column `:column' of FILE, for streaming plots.
`orgfig-line', `orgfig-hist' and `orgfig-scatter' with `:density' t
accept a file source wherever they accept data: they read the file in
C, once or twice, in bounded memory, and keep only what they draw (a
decimated line, histogram counts, a grid of counts), so files larger
than memory can be plotted.  Nothing is read here: the source only
names the data, and FILE must exist and be readable.
PROPS:
  :column      a column name (string) or 0-based index (default 0)
  :format      csv or binary; default binary for the extensions .bin,
               .f64 and .f32, csv otherwise
  :delimiter   CSV: a one-character string (default: detected)
  :header      CSV: nil when the first line is data (columns are then
               named \"1\", \"2\", ...); default t
  :comment     CSV: lines starting with this character are skipped
               (default \"#\"; nil for none)
  :decimal     CSV: the decimal point, \".\" (default) or \",\"
  :type        binary: float64 (default; float32 for .f32 files)
  :columns     binary: the number of interleaved columns (default 1)
  :big-endian  binary: non-nil when the file is big-endian.
Signal `orgfig-file-error' when FILE cannot be read and
`orgfig-invalid-data' for bad properties."
  (let ((props (append (orgfig--props-vector "orgfig-file-source" props) nil))
        (fn "orgfig-file-source"))
    (unless (stringp file)
      (signal 'wrong-type-argument (list 'stringp file)))
    (let ((unknown (cl-set-difference (cl-loop for (k _v) on props by #'cddr collect k)
                                      orgfig--file-source-keys)))
      (when unknown
        (signal 'orgfig-invalid-data
                (list (format "%s: unknown property %s (known: %s)" fn (car unknown)
                              (mapconcat #'symbol-name orgfig--file-source-keys " "))
                      (car unknown)))))
    (let* ((path (expand-file-name file))
           (format (or (plist-get props :format) (orgfig--file-source-format path)))
           (type (or (plist-get props :type)
                     (if (equal (downcase (or (file-name-extension path) "")) "f32")
                         'float32
                       'float64)))
           (columns (or (plist-get props :columns) 1))
           (column (or (plist-get props :column) 0)))
      (unless (and (file-readable-p path) (not (file-directory-p path)))
        (signal 'orgfig-file-error
                (list (format "%s: cannot read %s" fn path) file)))
      (unless (memq format '(csv binary))
        (signal 'orgfig-invalid-data
                (list (format "%s: :format must be csv or binary" fn) format)))
      (unless (memq type '(float64 float32))
        (signal 'orgfig-invalid-data
                (list (format "%s: :type must be float64 or float32" fn) type)))
      (unless (and (natnump columns) (<= 1 columns 4096))
        (signal 'orgfig-invalid-data
                (list (format "%s: :columns must be from 1 to 4096" fn) columns)))
      (unless (or (stringp column) (natnump column))
        (signal 'orgfig-invalid-data
                (list (format "%s: :column must be a name or a 0-based index" fn)
                      column)))
      (dolist (key '(:delimiter :comment :decimal))
        (let ((v (plist-get props key)))
          (unless (or (null v) (and (stringp v) (= (length v) 1)))
            (signal 'orgfig-invalid-data
                    (list (format "%s: %s must be a one-character string" fn key) v)))))
      (when (eq format 'binary)
        (when (and (natnump column) (>= column columns))
          (signal 'orgfig-invalid-data
                  (list (format "%s: :column %d out of range (the file has %d %s)"
                                fn column columns
                                (if (= columns 1) "column" "columns"))
                        column)))
        (let ((size (file-attribute-size (file-attributes path)))
              (row (* columns (if (eq type 'float32) 4 8))))
          (when (and (integerp size) (/= 0 (% size row)))
            (signal 'orgfig-invalid-data
                    (list (format "%s: %s has %d bytes, not a multiple of %d (one row)"
                                  fn path size row)
                          file)))))
      (orgfig--file-source-create
       :file path :column column :format format :type type :columns columns
       :big-endian (plist-get props :big-endian)
       :delimiter (plist-get props :delimiter)
       :header (if (plist-member props :header) (plist-get props :header) t)
       :comment (if (plist-member props :comment) (plist-get props :comment) "#")
       :decimal (plist-get props :decimal)))))

(defun orgfig--file-source-spec (src)
  "Return the vector the module's stream functions take for SRC."
  (vector (encode-coding-string (orgfig-file-source-file src)
                                (or file-name-coding-system 'utf-8))
          (orgfig-file-source-format src)
          (orgfig-file-source-delimiter src)
          (and (orgfig-file-source-header src) t)
          (orgfig-file-source-comment src)
          (orgfig-file-source-type src)
          (orgfig-file-source-columns src)
          (and (orgfig-file-source-big-endian src) t)
          (orgfig-file-source-decimal src)))

(defun orgfig--file-source-same-file-p (a b)
  "Return non-nil if file sources A and B read the same file the same way."
  (equal (orgfig--file-source-spec a) (orgfig--file-source-spec b)))

(defun orgfig--stream (what fig x y props)
  "Stream file source Y (and X, nil or a source of the same file) onto FIG.
WHAT is line, hist (X is then nil) or density; PROPS are the plot
properties."
  (let ((fn (if (eq what 'density) "orgfig-scatter" (format "orgfig-%s" what))))
    (unless (orgfig-file-source-p y)
      (signal 'orgfig-invalid-data
              (list (format "%s: Y must be a file source when X is one" fn) y)))
    (when (or x (eq what 'density))
      (unless (and (orgfig-file-source-p x) (orgfig--file-source-same-file-p x y))
        (signal 'orgfig-invalid-data
                (list (format "%s: X and Y must be file sources of the same file" fn)
                      x))))
    (orgfig--check-figure fig)
    (let ((pv (orgfig--props-vector fn props))
          (spec (orgfig--file-source-spec y))
          (xcol (and x (orgfig-file-source-column x)))
          (ycol (orgfig-file-source-column y)))
      (pcase what
        ('line (orgfig--mod-stream-line fig spec xcol ycol pv))
        ('hist (orgfig--mod-stream-hist fig spec ycol pv))
        (_ (orgfig--mod-stream-density fig spec xcol ycol pv))))))

(defun orgfig--reject-file-sources (kind args)
  "Signal `orgfig-invalid-data' if plot data ARGS of KIND hold a file source."
  (when (cl-some (lambda (a)
                   (or (orgfig-file-source-p a)
                       (and (proper-list-p a) (cl-some #'orgfig-file-source-p a))))
                 args)
    (signal 'orgfig-invalid-data
            (list (format "orgfig-%s: file sources are streamed only by orgfig-line, \
orgfig-hist and orgfig-scatter with :density t" kind)))))

(orgfig--ensure-module)

(provide 'orgfig)

;; Closing the figures of every source block (`orgfig-auto-close-mode') is
;; on as soon as orgfig and Org are both loaded, without making orgfig load
;; Org (which would double orgfig's start-up time).
(defun orgfig--load-org-glue (&optional _file)
  "Load orgfig's Org integration once Org is loaded."
  (when (featurep 'org)
    (remove-hook 'after-load-functions #'orgfig--load-org-glue)
    (require 'orgfig-org)))

(if (featurep 'org)
    (orgfig--load-org-glue)
  (add-hook 'after-load-functions #'orgfig--load-org-glue))

;;; orgfig.el ends here
