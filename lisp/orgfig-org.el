;;; orgfig-org.el --- Show orgfig figures in Org buffers  -*- lexical-binding: t -*-

;; Copyright (C) 2026 The orgfig authors

;; Author: The orgfig authors
;; Keywords: multimedia, outlines, tools

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Display of orgfig figures inside Org buffers, shared by the babel
;; language `orgfig' (ob-orgfig.el) and the interactive commands
;; (orgfig-commands.el).
;;
;; Display API (stable; used by other files):
;;
;;   `orgfig-display-image'        image overlay over a region
;;   `orgfig-display-image-after'  image on its own line after a position
;;   `orgfig-remove-images'        flush and delete orgfig overlays
;;   `orgfig-redisplay-buffer'     show again every cached figure link
;;
;; Every image orgfig shows is created by `create-image' from PNG bytes
;; kept in memory, and lives only in an overlay property.  Whenever an
;; overlay goes away (replacement, edit of its text, removal of babel
;; results, kill or revert of the buffer) orgfig calls `image-flush' on
;; the exact image object, so Emacs's image cache never accumulates
;; decoded pixmaps of plots that are no longer shown.  orgfig never calls
;; `clear-image-cache', which would throw away every other image too.
;; Overlays are not recorded in the undo list, so undo never keeps PNG
;; bytes alive either.
;;
;; Results of babel blocks are Org links `[[orgfig:ID][DESCRIPTION]]'.
;; ID is a content hash of the PNG, which sits in a bounded in-memory
;; cache (`orgfig-image-cache-size'); the link is therefore readable text
;; that survives saving, and `orgfig-redisplay-buffer' shows the images
;; again within a session.  The link type exports to HTML as an embedded
;; data: URI and to LaTeX as a vector PDF.
;;
;; `orgfig-auto-close-mode' (on by default) closes every figure and
;; dataset created while any source block runs, emacs-lisp blocks
;; included, whether the block finishes or signals.  An emacs-lisp block
;; whose value is a live figure shows that figure as its result.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'image)
(require 'org)
(require 'org-element)
(require 'ol)
(require 'ob-core)
(require 'orgfig)

(declare-function org-export-derived-backend-p "ox" (backend &rest backends))
(declare-function org-html-encode-plain-text "ox-html" (text))
(defvar org-export-current-backend)

;;;; Customization

(defcustom orgfig-image-cache-size (* 32 1024 1024)
  "Bytes of rendered figures orgfig keeps in memory for redisplay.
The cache holds the PNG (and, while exporting to LaTeX, PDF) bytes
of figures shown as `orgfig:' links, least recently used first out.
It lets `orgfig-redisplay-buffer' and export bring images back
after their overlays were lost.  0 keeps only the figures of the
most recent block."
  :type 'natnum
  :group 'orgfig)

(defcustom orgfig-redisplay-after-revert t
  "Non-nil means show cached figures again after `revert-buffer'."
  :type 'boolean
  :group 'orgfig)

;;;; The content-addressed figure cache

(cl-defstruct (orgfig-org--entry (:constructor orgfig-org--make-entry)
                                 (:copier nil))
  "One cached figure: PNG bytes and what is needed to show them."
  id png pdf width height scale title kinds (tick 0))

(defvar orgfig-org--cache (make-hash-table :test #'equal)
  "Map from figure ID (a string) to its `orgfig-org--entry'.")

(defvar orgfig-org--cache-tick 0
  "Counter used to order cache entries by last use.")

(defun orgfig-org--entry-bytes (entry)
  "Return the number of bytes in ENTRY."
  (+ (length (orgfig-org--entry-png entry))
     (length (orgfig-org--entry-pdf entry))))

(defun orgfig-cache-info ()
  "Return a plist describing the figure cache.
Keys: :entries (number of figures), :bytes (PNG and PDF bytes held)
and :limit (`orgfig-image-cache-size')."
  (let ((bytes 0))
    (maphash (lambda (_ e) (cl-incf bytes (orgfig-org--entry-bytes e)))
             orgfig-org--cache)
    (list :entries (hash-table-count orgfig-org--cache)
          :bytes bytes :limit orgfig-image-cache-size)))

(defun orgfig-cache-clear ()
  "Forget every cached figure (images already shown stay)."
  (interactive)
  (clrhash orgfig-org--cache))

(defun orgfig-org--evict (keep)
  "Drop least recently used entries until the cache fits its size.
Entries whose ID is in the list KEEP are never dropped."
  (let ((bytes (plist-get (orgfig-cache-info) :bytes))
        (limit (max 0 (or orgfig-image-cache-size 0)))
        entries)
    (when (> bytes limit)
      (maphash (lambda (id e) (unless (member id keep) (push e entries)))
               orgfig-org--cache)
      (setq entries (sort entries (lambda (a b)
                                    (< (orgfig-org--entry-tick a)
                                       (orgfig-org--entry-tick b)))))
      (while (and entries (> bytes limit))
        (let ((e (pop entries)))
          (cl-decf bytes (orgfig-org--entry-bytes e))
          (remhash (orgfig-org--entry-id e) orgfig-org--cache))))))

(defvar orgfig-org--recent :none
  "IDs stored by the block now running; eviction spares them.
The value is `:none' outside blocks, where only the entry just
stored is spared.")

(defun orgfig-cache-store (png &rest props)
  "Store the PNG bytes of a figure in the cache and return its ID.
PNG is a unibyte string.  PROPS may give :width and :height (the
figure's logical size in pixels), :scale (device pixels per
logical pixel, default 1), :title, :kinds (a list of plot kind
symbols) and :pdf (PDF bytes for LaTeX export).  The ID is the
first 16 hex digits of the SHA-1 of PNG, so equal figures share
one entry.  Storing evicts the least recently used other entries
beyond `orgfig-image-cache-size'."
  (let* ((id (substring (secure-hash 'sha1 png) 0 16))
         (old (gethash id orgfig-org--cache))
         (entry (or old (orgfig-org--make-entry :id id :png png))))
    (setf (orgfig-org--entry-width entry) (plist-get props :width)
          (orgfig-org--entry-height entry) (plist-get props :height)
          (orgfig-org--entry-scale entry) (or (plist-get props :scale) 1)
          (orgfig-org--entry-title entry) (plist-get props :title)
          (orgfig-org--entry-kinds entry) (plist-get props :kinds)
          (orgfig-org--entry-tick entry) (cl-incf orgfig-org--cache-tick))
    (when (plist-get props :pdf)
      (setf (orgfig-org--entry-pdf entry) (plist-get props :pdf)))
    (puthash id entry orgfig-org--cache)
    (when (listp orgfig-org--recent)
      (push id orgfig-org--recent))
    (orgfig-org--evict (cons id (and (listp orgfig-org--recent)
                                     orgfig-org--recent)))
    id))

(defun orgfig-cache-lookup (id)
  "Return the cached figure ID as a plist, or nil when it is not cached.
The plist has :png :pdf :width :height :scale :title :kinds."
  (when-let ((e (gethash id orgfig-org--cache)))
    (setf (orgfig-org--entry-tick e) (cl-incf orgfig-org--cache-tick))
    (list :png (orgfig-org--entry-png e) :pdf (orgfig-org--entry-pdf e)
          :width (orgfig-org--entry-width e)
          :height (orgfig-org--entry-height e)
          :scale (orgfig-org--entry-scale e)
          :title (orgfig-org--entry-title e)
          :kinds (orgfig-org--entry-kinds e))))

;;;; Images and overlays

(defvar orgfig-org--warned-terminal nil
  "Non-nil once the \"needs a graphical frame\" message was shown.")

(defun orgfig-org--display-p ()
  "Return non-nil when orgfig can put images in buffers.
That needs PNG support and a graphical frame; batch Emacs (which
decodes nothing) counts as able so results can be inspected."
  (and (image-type-available-p 'png)
       (or noninteractive
           (display-images-p)
           (cl-some #'display-images-p (frame-list)))))

(defun orgfig-org--check-display ()
  "Return non-nil when images can be shown; else say so once per session."
  (or (orgfig-org--display-p)
      (progn
        (unless orgfig-org--warned-terminal
          (setq orgfig-org--warned-terminal t)
          (message "orgfig: images need a graphical frame"))
        nil)))

(defun orgfig-png-image (png &optional scale &rest props)
  "Return an image of the PNG bytes shown at their logical size.
SCALE is the figure's device pixels per logical pixel (default 1):
the image gets :scale 1/SCALE so a HiDPI figure occupies its
logical size.  PROPS are further image properties."
  (apply #'create-image png 'png t
         :scale (/ 1.0 (or scale 1))
         props))

(defvar-local orgfig-org--overlays nil
  "Overlays showing orgfig images in this buffer (may hold dead ones).")
(put 'orgfig-org--overlays 'permanent-local t)

(defun orgfig-org--flush (image)
  "Remove IMAGE from the image cache of every frame."
  (when (and image (eq (car-safe image) 'image))
    (ignore-errors (image-flush image t))))

(defun orgfig-org--delete-overlay (ov)
  "Flush the image of orgfig overlay OV and delete OV."
  (orgfig-org--flush (overlay-get ov 'orgfig-image))
  (overlay-put ov 'orgfig-image nil)
  (delete-overlay ov)
  (when-let ((buf (overlay-buffer ov)))
    (with-current-buffer buf
      (setq orgfig-org--overlays (delq ov orgfig-org--overlays)))))

(defun orgfig-org--overlay-modified (ov after _beg _end &optional _len)
  "Modification hook of orgfig overlay OV.
Before the change flush its image (the text under it changes, so
the image is stale); after the change (AFTER non-nil) delete it."
  (if after
      (when (overlay-buffer ov) (orgfig-org--delete-overlay ov))
    (orgfig-org--flush (overlay-get ov 'orgfig-image))))

(defun orgfig-org--live-overlays ()
  "Return the live orgfig overlays of the current buffer.
Overlays that died without orgfig's help (text deleted with
modification hooks inhibited, `delete-overlay' by other code) have
their image flushed now and are forgotten."
  (let (live)
    (dolist (ov orgfig-org--overlays)
      (if (overlay-buffer ov)
          (push ov live)
        (orgfig-org--flush (overlay-get ov 'orgfig-image))
        (overlay-put ov 'orgfig-image nil)))
    (setq orgfig-org--overlays (nreverse live)))
  (let ((all orgfig-org--overlays))
    ;; Also any overlay a copied buffer or an older version left behind.
    (dolist (ov (overlays-in (point-min) (point-max)))
      (when (and (overlay-get ov 'orgfig) (not (memq ov all)))
        (push ov all)))
    all))

(defun orgfig-org--flush-buffer ()
  "Flush every orgfig image of the current buffer."
  (dolist (ov (orgfig-org--live-overlays))
    (orgfig-org--flush (overlay-get ov 'orgfig-image))))

(defvar-local orgfig-org--had-images nil
  "Non-nil when this buffer showed orgfig images before a revert.")
(put 'orgfig-org--had-images 'permanent-local t)

(defun orgfig-org--before-revert ()
  "Flush images before the buffer is reverted and remember they existed."
  (setq orgfig-org--had-images (and (orgfig-org--live-overlays) t))
  (orgfig-remove-images))

(defun orgfig-org--after-revert ()
  "Show cached figures again after a revert if there were some."
  (when (and orgfig-org--had-images orgfig-redisplay-after-revert)
    (setq orgfig-org--had-images nil)
    (orgfig-org--show-links (point-min) (point-max))))

(defun orgfig-org--install-buffer-hooks ()
  "Make sure this buffer flushes its images when killed or reverted."
  (add-hook 'kill-buffer-hook #'orgfig-org--flush-buffer nil t)
  (add-hook 'before-revert-hook #'orgfig-org--before-revert nil t)
  (add-hook 'after-revert-hook #'orgfig-org--after-revert nil t))

(defun orgfig-org--overlaps-p (ov beg end)
  "Return non-nil when overlay OV overlaps the region BEG..END.
An empty overlay overlaps when it lies within BEG..END."
  (let ((s (overlay-start ov)) (e (overlay-end ov)))
    (if (= s e)
        (and (<= beg s) (<= s end))
      (and (< s end) (> e beg)))))

(defun orgfig-remove-images (&optional beg end)
  "Remove orgfig images between BEG and END (default: whole buffer).
Every image is flushed from the image cache of all frames before
its overlay is deleted.  Return the number of overlays removed."
  (interactive)
  (let ((beg (or beg (point-min))) (end (or end (point-max))) (n 0))
    (dolist (ov (orgfig-org--live-overlays))
      (when (orgfig-org--overlaps-p ov beg end)
        (orgfig-org--delete-overlay ov)
        (cl-incf n)))
    n))

(defun orgfig-display-image (beg end image)
  "Show IMAGE instead of the text between BEG and END; return the overlay.
Any orgfig image overlapping BEG..END is removed (and flushed)
first.  The overlay has the properties `orgfig' t, `orgfig-image'
IMAGE, `display' IMAGE, `evaporate' t and `keymap' `image-map';
editing the text under it flushes the image and deletes the
overlay.  The buffer text and the undo list are not touched."
  (orgfig-remove-images beg end)
  (let ((ov (make-overlay beg end nil t nil)))
    (overlay-put ov 'orgfig t)
    (overlay-put ov 'orgfig-image image)
    (overlay-put ov 'display image)
    (overlay-put ov 'evaporate t)
    (overlay-put ov 'keymap image-map)
    (overlay-put ov 'modification-hooks (list #'orgfig-org--overlay-modified))
    (push ov orgfig-org--overlays)
    (orgfig-org--install-buffer-hooks)
    ov))

(defun orgfig-display-image-after (pos image &optional key)
  "Show IMAGE on its own line at POS without changing the buffer.
Return the zero-width overlay whose `after-string' holds the image.
An earlier orgfig after-image with the same KEY (any object compared
with `equal'), or at POS when KEY is nil, is removed and flushed
first.  Use it for figures under tables or regions."
  (dolist (ov (orgfig-org--live-overlays))
    (when (and (overlay-get ov 'orgfig-after)
               (if key (equal key (overlay-get ov 'orgfig-key))
                 (= pos (overlay-start ov))))
      (orgfig-org--delete-overlay ov)))
  (let* ((bol (save-excursion (goto-char pos) (bolp)))
         (ov (make-overlay pos pos nil nil nil)))
    (overlay-put ov 'orgfig t)
    (overlay-put ov 'orgfig-after t)
    (overlay-put ov 'orgfig-key key)
    (overlay-put ov 'orgfig-image image)
    (overlay-put ov 'after-string
                 (concat (unless bol "\n")
                         (propertize " " 'display image 'keymap image-map)
                         (when bol "\n")))
    (push ov orgfig-org--overlays)
    (orgfig-org--install-buffer-hooks)
    ov))

;;;; Links and results

(defconst orgfig-org--link-re
  "\\[\\[orgfig:\\([0-9a-f]+\\)\\]\\(?:\\[\\([^]\n]*\\)\\]\\)?\\]"
  "Regexp matching an orgfig link; group 1 is the ID, 2 the description.")

(defun orgfig-org--kind-name (kinds)
  "Return a short phrase for the plot KINDS (symbols), e.g. \"line plot\"."
  (let ((kinds (delete-dups (copy-sequence kinds))))
    (cond ((null kinds) "figure")
          ((cdr kinds)
           (concat (mapconcat #'symbol-name kinds "+") " plot"))
          (t (format "%s plot" (car kinds))))))

(defun orgfig-org--describe (info kinds)
  "Return the one-line description of a figure from its INFO plist and KINDS."
  (let ((title (plist-get info :title)))
    (concat "orgfig: "
            (if (and title (not (string-empty-p title)))
                ;; Keep the link syntax intact: no brackets, one line.
                (format "\"%s\" " (replace-regexp-in-string
                                   "[][\n]" " " title))
              "")
            (format "%d×%d %s"
                    (plist-get info :width) (plist-get info :height)
                    (orgfig-org--kind-name kinds)))))

(defvar orgfig-org--figure-kinds (make-hash-table :test #'eq :weakness 'key)
  "Plot kinds orgfig's table mode drew on each figure.")

(defun orgfig-org--note-kind (fig kind &rest _)
  "After a plot of KIND was added to FIG, remember KIND for its description."
  (puthash fig (append (gethash fig orgfig-org--figure-kinds) (list kind))
           orgfig-org--figure-kinds))

(defun orgfig-org--figure-kinds (fig info)
  "Return the list of plot kinds on FIG, using INFO when it lists them."
  (or (plist-get info :kinds)
      (gethash fig orgfig-org--figure-kinds)))

(defun orgfig-org--exporting-latex-p ()
  "Return non-nil while babel blocks run for a LaTeX (or derived) export."
  (and (boundp 'org-export-current-backend)
       org-export-current-backend
       (fboundp 'org-export-derived-backend-p)
       (ignore-errors
         (org-export-derived-backend-p org-export-current-backend 'latex))))

(defun orgfig-figure-link (fig)
  "Render FIG, cache its PNG and return the link text for its result.
The text is \"[[orgfig:ID][orgfig: \\\"TITLE\\\" W×H KIND plot]]\".
While a LaTeX export runs, a PDF is rendered and cached too."
  (let* ((info (orgfig-figure-info fig))
         (png (orgfig-render fig 'png))
         (kinds (orgfig-org--figure-kinds fig info))
         (id (orgfig-cache-store
              png :width (plist-get info :width)
              :height (plist-get info :height)
              :scale (plist-get info :scale)
              :title (plist-get info :title)
              :kinds kinds
              :pdf (and (orgfig-org--exporting-latex-p)
                        (orgfig-render fig 'pdf)))))
    (format "[[orgfig:%s][%s]]" id (orgfig-org--describe info kinds))))

(defun orgfig-org--show-links (beg end)
  "Show the images of the orgfig links between BEG and END.
Return a cons (SHOWN . MISSING): the number of links shown and the
number whose figure is no longer cached."
  (let ((shown 0) (missing 0))
    (when (orgfig-org--check-display)
      (save-excursion
        (goto-char beg)
        (while (re-search-forward orgfig-org--link-re end t)
          (let* ((mb (match-beginning 0)) (me (match-end 0))
                 (entry (orgfig-cache-lookup (match-string-no-properties 1))))
            (if (not entry)
                (cl-incf missing)
              (let ((ov (orgfig-display-image
                         mb me (orgfig-png-image (plist-get entry :png)
                                                 (plist-get entry :scale)))))
                (overlay-put ov 'help-echo (match-string-no-properties 2))
                (cl-incf shown)))))))
    (cons shown missing)))

;;;###autoload
(defun orgfig-redisplay-buffer ()
  "Show again every orgfig figure of this buffer whose image is cached.
Figures are cached in memory for the session (see
`orgfig-image-cache-size'); for the others, execute their blocks
again (\\[org-babel-execute-src-block])."
  (interactive)
  (if (not (orgfig-org--check-display))
      nil
    (let ((r (orgfig-org--show-links (point-min) (point-max))))
      (when (called-interactively-p 'interactive)
        (message "orgfig: %d figure%s shown%s"
                 (car r) (if (= (car r) 1) "" "s")
                 (if (> (cdr r) 0)
                     (format "; %d not cached any more: execute their blocks again"
                             (cdr r))
                   "")))
      r)))

;;;; After a source block ran

(defun orgfig-org--result-region (head)
  "Return (BEG . END) of the results of the block or call at HEAD, or nil."
  (save-excursion
    (goto-char head)
    (let ((pos (ignore-errors (org-babel-where-is-src-block-result))))
      (when pos
        (goto-char pos)
        (forward-line 1)
        (let ((beg (point)))
          (cons beg (max beg (or (ignore-errors (org-babel-result-end)) beg))))))))

(defun orgfig-org--rawify (beg end)
  "Turn a single \": [[orgfig:...]]\" result line at BEG..END into a raw link.
Only a result of exactly one line is changed, so Org still finds
the end of the result (a lone link line) when it replaces it.
Return the new end."
  (save-excursion
    (goto-char beg)
    (if (and (looking-at (concat "\\([ \t]*\\): \\(" orgfig-org--link-re "\\)[ \t]*$"))
             (= (line-beginning-position 2) end))
        (let ((indent (match-string 1)) (link (match-string 2)))
          (replace-match (concat indent link) t t)
          (line-beginning-position 2))
      end)))

(defun orgfig-org--after-block (head)
  "Show the figures in the results of the block at marker HEAD."
  (when-let ((buf (marker-buffer head)))
    (with-current-buffer buf
      (when-let ((region (orgfig-org--result-region head)))
        (let ((end (orgfig-org--rawify (car region) (cdr region))))
          (unless (and (boundp 'org-export-current-backend)
                       org-export-current-backend)
            (orgfig-org--show-links (car region) end)))))))

;;;; Closing figures created by blocks

(defvar orgfig-org--kept (make-hash-table :test #'eq :weakness 'key)
  "Figures and datasets a block asked to keep (header `:keep yes').")

(defun orgfig-org-keep (objects)
  "Mark the figures and datasets in OBJECTS as kept open after their block."
  (dolist (o objects) (puthash o t orgfig-org--kept)))

(defun orgfig-org-close-objects (objects)
  "Close every live figure or dataset in OBJECTS that is not kept.
Errors while closing one object do not stop the others."
  (dolist (o objects)
    (unless (gethash o orgfig-org--kept)
      (condition-case err
          (orgfig-close o)
        (error (message "orgfig: closing %S failed: %s" o
                        (error-message-string err)))))))

(defun orgfig-org--yes-p (value)
  "Return non-nil when the header argument VALUE means yes."
  (member (format "%s" value) '("yes" "t" "true")))

(defun orgfig-org--context (head info)
  "Return a string naming the block at HEAD with INFO, for `:where'."
  (ignore-errors
    (with-current-buffer (marker-buffer head)
      (format "%s:%d%s"
              (if buffer-file-name (file-name-nondirectory buffer-file-name)
                (buffer-name))
              (line-number-at-pos head)
              (let ((name (or (nth 4 info)
                              (save-excursion
                                (goto-char head)
                                (org-element-property
                                 :name (org-element-at-point))))))
                (if name (format " (block %s)" name) ""))))))

;;;###autoload
(define-minor-mode orgfig-auto-close-mode
  "Close every figure and dataset a source block creates when it ends.
While this global mode is on, each `org-babel-execute-src-block'
records the orgfig figures and datasets created while the block
runs (in any language, emacs-lisp included) and closes them when
the block finishes, normally or by an error, so forgotten figures
never accumulate.  Blocks with the header argument `:keep yes'
keep theirs.  The mode is on by default once orgfig-org is loaded."
  :global t
  :init-value t
  :group 'orgfig)

(defun orgfig-org--execute-src-block (orig &optional arg info params)
  "Around advice for `org-babel-execute-src-block'.
Call ORIG with ARG, INFO and PARAMS while collecting the figures
the block creates; close them afterwards when
`orgfig-auto-close-mode' is on; then show orgfig results."
  (let* ((head (copy-marker (or (nth 5 info)
                                (ignore-errors (org-babel-where-is-src-block-head))
                                (point))))
         (orgfig-creation-context (or (orgfig-org--context head info)
                                      orgfig-creation-context))
         (orgfig-org--recent nil)
         result)
    (unwind-protect
        (progn
          (if (not orgfig-auto-close-mode)
              (setq result (funcall orig arg info params))
            (orgfig--collecting objs
              (unwind-protect
                  (setq result (funcall orig arg info params))
                (orgfig-org-close-objects (orgfig--collected objs)))))
          (condition-case err
              (orgfig-org--after-block head)
            (error (message "orgfig: cannot show the figures: %s"
                            (error-message-string err))))
          result)
      (set-marker head nil))))

;;;; Emacs Lisp blocks whose value is a figure

(defvar orgfig-org--wrap-elisp nil
  "Non-nil while `org-babel-execute:emacs-lisp' expands its body.")

(defun orgfig-org-elisp-value (value)
  "Return the result shown by an emacs-lisp block whose value is VALUE.
A live figure becomes its `orgfig-figure-link' text; anything else
is returned unchanged."
  (if (and (orgfig-figure-p value) (orgfig-live-p value))
      (orgfig-figure-link value)
    value))

(defun orgfig-org--expand-elisp (body)
  "Filter for `org-babel-expand-body:emacs-lisp' returning BODY.
While an emacs-lisp block executes, wrap BODY so that a figure value
is rendered (before it is closed) into an orgfig link."
  (if (not orgfig-org--wrap-elisp)
      body
    (setq orgfig-org--wrap-elisp nil)
    (format "(orgfig-org-elisp-value (progn\n%s\n))" body)))

(defun orgfig-org--execute-elisp (orig body params)
  "Around advice for `org-babel-execute:emacs-lisp' (ORIG BODY PARAMS).
Makes a figure value show as an image and honours `:keep yes'."
  (let ((orgfig-org--wrap-elisp t))
    (if (orgfig-org--yes-p (cdr (assq :keep params)))
        (orgfig--collecting objs
          (unwind-protect (funcall orig body params)
            (orgfig-org-keep (orgfig--collected objs))))
      (funcall orig body params))))

;;;; The orgfig: link type

(defun orgfig-org--export-file (id ext bytes info)
  "Write BYTES for figure ID with extension EXT next to the export output.
INFO is the export communication channel.  Return the file name
relative to the output directory."
  (let* ((out (plist-get info :output-file))
         (dir (if out (file-name-directory (expand-file-name out))
                default-directory))
         (name (format "orgfig-%s.%s" id ext)))
    (let ((coding-system-for-write 'binary))
      (write-region bytes nil (expand-file-name name dir) nil 'silent))
    name))

(defun orgfig-org--export (path desc backend info)
  "Export the orgfig link with PATH (the ID) and DESC for BACKEND.
INFO is the export channel.  HTML (and derived back-ends) get an
<img> with the PNG embedded as a data: URI; LaTeX gets
\\includegraphics of a PDF (or PNG) written next to the output.
A figure no longer cached exports as its description."
  (let ((entry (orgfig-cache-lookup path))
        (desc (or desc (format "orgfig figure %s" path))))
    (cond
     ((null entry)
      (message "orgfig: figure %s is not cached; execute its block before export"
               path)
      desc)
     ((org-export-derived-backend-p backend 'html)
      (format "<img src=\"data:image/png;base64,%s\" alt=\"%s\" width=\"%s\" height=\"%s\" />"
              (base64-encode-string (plist-get entry :png) t)
              (if (fboundp 'org-html-encode-plain-text)
                  (org-html-encode-plain-text desc)
                desc)
              (plist-get entry :width) (plist-get entry :height)))
     ((org-export-derived-backend-p backend 'latex)
      (let ((file (if (plist-get entry :pdf)
                      (orgfig-org--export-file path "pdf" (plist-get entry :pdf) info)
                    (orgfig-org--export-file path "png" (plist-get entry :png) info))))
        (format "\\includegraphics[width=.9\\linewidth]{%s}" file)))
     (t desc))))

(defun orgfig-org--preview (ov path _link)
  "Link preview function (Org 9.8) showing figure PATH in overlay OV."
  (when-let ((entry (orgfig-cache-lookup path)))
    (let ((image (orgfig-png-image (plist-get entry :png)
                                   (plist-get entry :scale))))
      (overlay-put ov 'display image)
      (overlay-put ov 'face 'default)
      (overlay-put ov 'keymap image-map)
      t)))

(org-link-set-parameters "orgfig"
                         :export #'orgfig-org--export
                         :preview #'orgfig-org--preview
                         :help-echo "orgfig figure (M-x orgfig-redisplay-buffer shows it)")

;;;; Babel hooks

(defun orgfig-org--remove-result (&rest _)
  "Before `org-babel-remove-result', flush the images of the results."
  (ignore-errors
    (when-let ((region (orgfig-org--result-region (point))))
      (orgfig-remove-images (car region) (cdr region)))))

(advice-add 'org-babel-execute-src-block :around #'orgfig-org--execute-src-block)
(advice-add 'org-babel-execute:emacs-lisp :around #'orgfig-org--execute-elisp)
(advice-add 'org-babel-expand-body:emacs-lisp :filter-return
            #'orgfig-org--expand-elisp)
(advice-add 'org-babel-remove-result :before #'orgfig-org--remove-result)
(advice-add 'orgfig--plot :after #'orgfig-org--note-kind)

(defun orgfig-org-unload-function ()
  "Undo what loading orgfig-org did (for `unload-feature')."
  (advice-remove 'org-babel-execute-src-block #'orgfig-org--execute-src-block)
  (advice-remove 'org-babel-execute:emacs-lisp #'orgfig-org--execute-elisp)
  (advice-remove 'org-babel-expand-body:emacs-lisp #'orgfig-org--expand-elisp)
  (advice-remove 'org-babel-remove-result #'orgfig-org--remove-result)
  (advice-remove 'orgfig--plot #'orgfig-org--note-kind)
  (dolist (buf (buffer-list))
    (with-current-buffer buf
      (when orgfig-org--overlays (orgfig-remove-images))))
  nil)

(provide 'orgfig-org)
;;; orgfig-org.el ends here
