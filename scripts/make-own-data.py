#!/usr/bin/python3
# make-own-data.py IDX_DIR OUT_DIR [PER_CLASS] — "your own data" as a user would have it, made from Fashion-MNIST
# with the Python standard library only: OUT_DIR/images/<class name>/NNNN.png (PER_CLASS 28x28 grayscale PNGs per
# class, default 30) and OUT_DIR/table.csv (1000 rows: each image mean-pooled to 8x8 = 64 features, then a
# column named label). The test suite (scripts/test-own-data.sh) and the README's "Your own data" use them.
import gzip, os, struct, sys, zlib

NAMES = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

def read_idx(path):
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            data = open(p, "rb").read()
            return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    sys.exit(f"make-own-data: {path}[.gz] not found")

def png(path, w, h, rows):  # 8-bit grayscale PNG: signature, IHDR, one IDAT (filter 0 per row), IEND
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

idx, out = sys.argv[1], sys.argv[2]
per_class = int(sys.argv[3]) if len(sys.argv) > 3 else 30
images, labels = read_idx(idx + "/train-images-idx3-ubyte")[16:], read_idx(idx + "/train-labels-idx1-ubyte")[8:]
count = [0] * 10
for i in range(len(labels)):
    c = labels[i]
    if count[c] >= per_class:
        if min(count) >= per_class: break
        continue
    d = os.path.join(out, "images", NAMES[c])
    os.makedirs(d, exist_ok=True)
    img = images[784 * i: 784 * (i + 1)]
    png(os.path.join(d, "%04d.png" % i), 28, 28, [img[28 * r: 28 * (r + 1)] for r in range(28)])
    count[c] += 1
with open(os.path.join(out, "table.csv"), "w") as f:
    f.write(",".join("f%d" % j for j in range(64)) + ",label\n")
    for i in range(1000):
        img = images[784 * i: 784 * (i + 1)]
        pooled = [sum(img[28 * (r * 28 // 8 + a) + (c * 28 // 8 + b)] for a in range(3) for b in range(3)) / (9 * 255.0)
                  for r in range(8) for c in range(8)]
        f.write(",".join("%.4f" % v for v in pooled) + ",%d\n" % labels[i])
print(f"make-own-data: {sum(count)} PNGs in {out}/images/<class>/, 1000 rows in {out}/table.csv")
