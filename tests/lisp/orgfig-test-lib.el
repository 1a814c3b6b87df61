;;; orgfig-test-lib.el --- Helpers for orgfig's ERT tests -*- lexical-binding: t -*-

;;; Commentary:

;; Small helpers shared by the test files: PNG header parsing and
;; memory-counter snapshots.

;;; Code:

(require 'cl-lib)

(defun orgfig-test-png-size (data)
  "Return (WIDTH . HEIGHT) from the IHDR chunk of PNG DATA, or nil."
  (when (and (stringp data) (>= (length data) 24)
             (string= (substring data 0 8) "\x89PNG\r\n\x1a\n")
             (string= (substring data 12 16) "IHDR"))
    (cl-flet ((u32 (i) (+ (ash (aref data i) 24) (ash (aref data (+ i 1)) 16)
                          (ash (aref data (+ i 2)) 8) (aref data (+ i 3)))))
      (cons (u32 16) (u32 20)))))

(defun orgfig-test-png-p (data)
  "Return non-nil if DATA is a unibyte string holding a PNG."
  (and (stringp data) (not (multibyte-string-p data))
       (orgfig-test-png-size data)))

(provide 'orgfig-test-lib)
;;; orgfig-test-lib.el ends here
