;;; stream_bench.el --- Benchmark of plots streamed from a large file -*- lexical-binding: t -*-

;; Copyright (C) 2026 The orgfig developers

;; This file is not part of GNU Emacs.

;; This program is free software; you can redistribute it and/or modify
;; it under the terms of the GNU General Public License as published by
;; the Free Software Foundation, either version 3 of the License, or
;; (at your option) any later version.

;;; Commentary:

;; Usage (from the source root):
;;
;;   emacs -Q --batch -L lisp -l bench/stream_bench.el -f orgfig-stream-bench-batch [ROWS]
;;
;; Writes ROWS (default 100 million) float64 values, a random walk with a
;; NaN every 100003 rows, to a file in `temporary-file-directory' with
;; bench/stream_gen.c (compiled with cc), then times in this Emacs the
;; streamed plots of that file: `orgfig-hist' with 100 bins, with
;; :bins auto (two passes: range and sample, then counts) and with
;; :range and :bins (one pass), and `orgfig-line' without X (one pass for
;; a binary file), each followed by a PNG render (the line also
;; without the render, to separate drawing 65536 points from streaming).  For each it reports
;; the wall time and the growth of the process's peak resident memory:
;; the kernel's mark is reset (/proc/self/clear_refs) before the call, so
;; the growth is VmHWM after minus VmRSS before.  The file is deleted at
;; the end.  The file is read through the page cache, which holds it after
;; writing when there is room (page cache is not part of RSS).

;;; Code:

(require 'orgfig)

(defun orgfig-stream-bench--status (key)
  "Return the value in kB of KEY (\"VmHWM\", \"VmRSS\") of this process."
  (with-temp-buffer
    (insert-file-contents "/proc/self/status")
    (when (re-search-forward (concat "^" key ":[ \t]+\\([0-9]+\\) kB") nil t)
      (string-to-number (match-string 1)))))

(defun orgfig-stream-bench--reset-peak ()
  "Reset the kernel's peak-RSS mark of this process, if allowed."
  (ignore-errors
    (let ((coding-system-for-write 'binary))
      (write-region "5" nil "/proc/self/clear_refs" nil 'silent))))

(defun orgfig-stream-bench--run (name thunk)
  "Run THUNK, print NAME, wall seconds and peak RSS growth in MB."
  (garbage-collect)
  (orgfig-stream-bench--reset-peak)
  (let* ((rss (orgfig-stream-bench--status "VmRSS"))
         (t0 (float-time))
         (bytes (funcall thunk))
         (secs (- (float-time) t0))
         (hwm (orgfig-stream-bench--status "VmHWM")))
    (princ (format "| %-34s | %7.2f | %8.1f | %10d |\n" name secs
                   (/ (- hwm rss) 1024.0) bytes))))

(defun orgfig-stream-bench-batch ()
  "Run the streaming benchmark; ROWS may follow on the command line."
  (let* ((rows (if command-line-args-left
                   (string-to-number (pop command-line-args-left))
                 100000000))
         (file (expand-file-name "orgfig-stream-bench.f64" temporary-file-directory))
         (gen (expand-file-name "orgfig-stream-gen" temporary-file-directory))
         (src (expand-file-name "bench/stream_gen.c")))
    (unless (eq 0 (call-process "cc" nil nil nil "-O2" "-o" gen src "-lm"))
      (error "Cannot compile %s" src))
    (unwind-protect
        (let ((t0 (float-time)))
          (unless (eq 0 (call-process gen nil nil nil file (number-to-string rows)))
            (error "Generating %s failed" file))
          (princ (format "%d rows, %.0f MB written in %.1f s to %s\n\n" rows
                         (/ (file-attribute-size (file-attributes file)) 1e6)
                         (- (float-time) t0) file))
          (princ "| streamed plot + PNG render          |  wall s | peak +MB | fig bytes  |\n")
          (princ "|------------------------------------+---------+----------+------------|\n")
          ;; Fonts and cairo's caches are loaded once, untimed.
          (orgfig-with-figure (fig :width 800 :height 600)
            (orgfig-line fig nil [1 2 3])
            (orgfig-hist fig [1 2 3])
            (orgfig-render fig))
          (let ((y (orgfig-file-source file))
                (message-log-max nil)
                (inhibit-message t))
            (dolist (case `(("orgfig-hist :bins 100 (2 passes)" (:bins 100))
                            ("orgfig-hist :bins auto (2 passes)" nil)
                            ("orgfig-hist :range :bins (1 pass)"
                             (:bins 100 :range (-20000 20000)))))
              (orgfig-stream-bench--run
               (car case)
               (lambda ()
                 (orgfig-with-figure (fig :width 800 :height 600)
                   (apply #'orgfig-hist fig y (cadr case))
                   (orgfig-render fig)
                   (plist-get (orgfig-figure-info fig) :bytes)))))
            (orgfig-stream-bench--run
             "orgfig-line, X nil: stream only"
             (lambda ()
               (orgfig-with-figure (fig :width 800 :height 600)
                 (orgfig-line fig nil y)
                 (plist-get (orgfig-figure-info fig) :bytes))))
            (orgfig-stream-bench--run
             "orgfig-line, X nil (1 pass)"
             (lambda ()
               (orgfig-with-figure (fig :width 800 :height 600)
                 (orgfig-line fig nil y)
                 (orgfig-render fig)
                 (plist-get (orgfig-figure-info fig) :bytes))))))
      (delete-file file)
      (delete-file gen))))

(provide 'stream_bench)
;;; stream_bench.el ends here
