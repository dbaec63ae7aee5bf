"""Certificate PDF speed and memory: ``python -m bench certificates``.

Figures:
- ``first_ms``: first certificate in a fresh process (font loading included).
- ``one_ms`` / ``one_p95_ms``: one certificate with four phone-size photos and three signatures, warm.
- ``batch500_s``: 500 such certificates (distinct photos each) into one PDF.
- ``batch100_peak_mb`` / ``batch500_peak_mb``: peak RSS of a child process doing the batch
  (ru_maxrss); ``batch_growth_kb_per_cert`` is their difference per extra certificate, which
  should be about the compressed PDF bytes per certificate (reportlab keeps the document in
  memory until it writes it), not the photos' decoded size.
"""

from __future__ import annotations

import io
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from bench import percentile, report

BENCH = "certificates"
ROOT = Path(__file__).resolve().parents[1]


def _distinct_photos(folder: Path, count: int, base: Path) -> list[Path]:
    """``count`` different 1280x960 photos made cheaply from one base picture."""
    with Image.open(base) as im:
        src = im.convert("RGB").resize((1280, 960))
    out = []
    rnd = random.Random(7)
    for i in range(count):
        img = src.copy()
        d = ImageDraw.Draw(img)
        for _ in range(4):
            x, y = rnd.randint(0, 1200), rnd.randint(0, 900)
            d.rectangle([x, y, x + 80, y + 60], fill=tuple(rnd.randint(0, 255) for _ in range(3)))
        d.text((20, 20), f"photo {i}", fill=(0, 0, 0))
        p = folder / f"p{i:05d}.jpg"
        img.save(p, "JPEG", quality=85)
        out.append(p)
    return out


def _certificates(folder: Path, n: int):
    """``n`` sample certificates, four distinct photos each, loaded lazily."""
    from app.certificates.sample import sample_certificate

    photos = sorted(folder.glob("p*.jpg"))
    for i in range(n):
        data = sample_certificate("lighting", folder, seq=i + 1, photos=0, signatures=3)
        data.photos_before = photos[(4 * i) % len(photos) : (4 * i) % len(photos) + 2]
        data.photos_after = photos[(4 * i + 2) % len(photos) : (4 * i + 2) % len(photos) + 2]
        yield data


def child(folder: str, n: int) -> None:
    """Run one batch in this (fresh) process and print its figures as JSON."""
    from app.certificates.render import render_batch

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = Path(folder) / f"batch{n}.pdf"
    t = time.perf_counter()
    count = render_batch(_certificates(Path(folder), n), out)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = out.stat().st_size / 1e6
    out.unlink()
    print(json.dumps({"n": count, "s": seconds, "peak_mb": peak, "start_mb": rss_before, "pdf_mb": size}))


def _run_child(folder: Path, n: int) -> dict[str, float]:
    code = f"from bench.certificates import child; child({str(folder)!r}, {n})"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    from app.certificates.render import render_certificate
    from app.certificates.sample import sample_certificate

    with tempfile.TemporaryDirectory(prefix="hv-bench-cert-") as tmp:
        folder = Path(tmp)
        data = sample_certificate("accessibility", folder, photos=2, signatures=3)
        print(f"photos {Image.open(data.photos_before[0]).size}, 4 photos, 3 signatures", file=sys.stderr)

        t = time.perf_counter()
        render_certificate(data, io.BytesIO())
        report(BENCH, "first_ms", (time.perf_counter() - t) * 1000, 1)

        samples = []
        for _ in range(20):
            buf = io.BytesIO()
            t = time.perf_counter()
            render_certificate(data, buf)
            samples.append((time.perf_counter() - t) * 1000)
        report(
            BENCH,
            "one_ms",
            statistics.median(samples),
            len(samples),
            pdf_kb=round(len(buf.getvalue()) / 1024),
        )
        report(BENCH, "one_p95_ms", percentile(samples, 95), len(samples))

        _distinct_photos(folder, 2000, data.photos_before[0])
        small = _run_child(folder, 100)
        big = _run_child(folder, 500)
        report(BENCH, "batch500_s", big["s"], int(big["n"]), pdf_mb=round(big["pdf_mb"], 1))
        report(BENCH, "batch500_per_cert_ms", big["s"] / big["n"] * 1000, int(big["n"]))
        report(
            BENCH, "batch100_peak_mb", small["peak_mb"], int(small["n"]), start_mb=round(small["start_mb"], 1)
        )
        report(BENCH, "batch500_peak_mb", big["peak_mb"], int(big["n"]), start_mb=round(big["start_mb"], 1))
        growth = (big["peak_mb"] - small["peak_mb"]) * 1024 / (big["n"] - small["n"])
        pdf_per_cert = big["pdf_mb"] * 1e6 / 1024 / big["n"]
        report(
            BENCH, "batch_growth_kb_per_cert", growth, int(big["n"]), pdf_kb_per_cert=round(pdf_per_cert, 1)
        )


if __name__ == "__main__":
    main()
