#!/usr/bin/python3
"""matplotlib side of `make bench-peers'.

Usage: /usr/bin/python3 bench/peers.py DIR REPS WORKLOAD...

Renders each workload with matplotlib (Agg) from the float64
little-endian files that bench/bench.el wrote to DIR (the same numbers
orgfig and gnuplot plot) and prints one JSON object per workload on
stdout.  The protocol is the peers' notes' (peer-bench.md): the timed
region is plt.figure(figsize=(8,6), dpi=100) + the artist call +
fig.savefig(io.BytesIO(), format='png'); plt.close(fig) and gc.collect()
run after each rep, untimed.  Reading the files is untimed.

heatmap_1000_box is the heatmap drawn into the pixel boxes that orgfig's
heatmap and colorbar cover in orgfig's PNG of the same workload
(DIR/orgfig_heatmap_1000.png, written by bench.el), with imshow's
aspect='auto': the same picture, for comparing PNG bytes like for like
(plain imshow keeps square cells in a smaller box).
"""

import gc
import io
import json
import struct
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def vm(key):
    """Return the kB value of KEY in /proc/self/status."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def boxes(png):
    """Return the pixel boxes [x, y, w, h] of the plots in the PNG file PNG.

    A box is a run of columns in which over a quarter of the pixels are
    coloured (not grey), with the rows coloured in its middle column:
    the heatmap and then the colorbar of a heatmap figure."""
    from PIL import Image  # matplotlib's own PNG dependency

    im = np.asarray(Image.open(png).convert("RGB")).astype(np.int16)
    inked = (im[:, :, 0] != im[:, :, 1]) | (im[:, :, 1] != im[:, :, 2])
    cols = np.nonzero(inked.sum(axis=0) > inked.shape[0] // 4)[0]
    out = []
    for run in np.split(cols, np.nonzero(np.diff(cols) > 1)[0] + 1):
        if len(run) == 0:
            continue
        rows = np.nonzero(inked[:, (run[0] + run[-1]) // 2])[0]
        out.append([int(run[0]), int(rows[0]), int(run[-1] - run[0] + 1),
                    int(rows[-1] - rows[0] + 1)])
    return out


def load(d, name):
    """Return the arrays of workload NAME from directory D."""
    if name == "heatmap_1000_box":
        data = load(d, "heatmap_1000")
        data["boxes"] = boxes(d + "orgfig_heatmap_1000.png")
        if len(data["boxes"]) != 2:
            raise ValueError("expected a heatmap and a colorbar in orgfig's PNG, "
                             "found %d boxes" % len(data["boxes"]))
        return data
    raw = np.fromfile(d + name + ".bin", dtype="<f8")
    kind = name.split("_")[0]
    if kind in ("line", "scatter"):
        a = raw.reshape(-1, 2)
        return {"x": np.ascontiguousarray(a[:, 0]), "y": np.ascontiguousarray(a[:, 1])}
    if kind == "hist":
        return {"d": raw}
    if kind == "heatmap":
        return {"z": raw.reshape(1000, 1000)}
    if kind == "bar":
        labels = ["cat%02d" % i for i in range(len(raw))]
        return {"labels": labels, "v": raw}
    if kind == "many":
        return {"walks": raw.reshape(1000, 100)}
    raise ValueError("unknown workload " + name)


def draw(name, data):
    """Make the figure of workload NAME and return it (timed part 1)."""
    fig = plt.figure(figsize=(8, 6), dpi=100)
    kind = name.split("_")[0]
    if kind == "line":
        plt.plot(data["x"], data["y"], lw=1)
    elif kind == "scatter":
        plt.scatter(data["x"], data["y"], s=1)
    elif kind == "hist":
        plt.hist(data["d"], bins=50)
    elif kind == "heatmap" and "boxes" in data:
        w, h = fig.canvas.get_width_height()

        def axes_at(b):
            return fig.add_axes([b[0] / w, 1 - (b[1] + b[3]) / h, b[2] / w, b[3] / h])

        im = axes_at(data["boxes"][0]).imshow(data["z"], cmap="viridis", aspect="auto")
        fig.colorbar(im, cax=axes_at(data["boxes"][1]))
    elif kind == "heatmap":
        plt.imshow(data["z"], cmap="viridis")
        plt.colorbar()
    elif kind == "bar":
        plt.bar(data["labels"], data["v"])
        plt.xticks(rotation=45)
    return fig


def png_size(b):
    """Return [width, height] from the IHDR of PNG bytes B."""
    return list(struct.unpack(">II", b[16:24]))


def single(name, data, reps):
    ms, cpu = [], []
    png = b""
    for _ in range(reps):
        t0 = time.perf_counter()
        c0 = time.process_time()
        fig = draw(name, data)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        c1 = time.process_time()
        t1 = time.perf_counter()
        ms.append((t1 - t0) * 1000.0)
        cpu.append((c1 - c0) * 1000.0)
        png = buf.getvalue()
        plt.close(fig)
        gc.collect()
    out = {"ms": ms, "cpu_ms": cpu, "png": len(png), "size": png_size(png),
           "hwm_kb": vm("VmHWM")}
    if name.startswith("heatmap"):
        out["boxes"] = boxes(io.BytesIO(png))
    if "boxes" in data:
        out["orgfig_boxes"] = data["boxes"]
    return out


def many(data):
    walks = data["walks"]
    rss, chunks, total = [], [], 0
    gc.collect()
    t0 = tc = time.perf_counter()
    for i in range(1000):
        fig = plt.figure(figsize=(8, 6), dpi=100)
        plt.plot(walks[i], lw=1)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        total += len(buf.getvalue())
        plt.close(fig)
        if (i + 1) % 100 == 0:
            rss.append(vm("VmRSS"))
            now = time.perf_counter()
            chunks.append((now - tc) * 1000.0)
            tc = now
    return {"total_s": time.perf_counter() - t0, "rss_kb": rss, "chunks_ms": chunks,
            "png": total // 1000, "hwm_kb": vm("VmHWM")}


def main():
    d, reps, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    for name in names:
        out = {"tool": "matplotlib", "workload": name,
               "version": matplotlib.__version__}
        try:
            data = load(d, name)
            if name == "many_figs":
                out.update(many(data))
            else:
                out.update(single(name, data, reps))
        except Exception as e:  # report and go on with the next workload
            out["error"] = "%s: %s" % (type(e).__name__, e)
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
