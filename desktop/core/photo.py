"""Applicant photos (2寸近期彩照): checked, bounded and normalised to a small JPEG."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from desktop.core.errors import UserError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 60-megapixel camera image is fine; larger is a decompression bomb
# 2寸 is 35 × 49 mm; at 300 dpi that is 413 × 579 px, enough for print.
TARGET_SIZE = (413, 579)


def load_photo_file(path: str | Path) -> bytes:
    """Read a JPEG/PNG file and return normalised JPEG bytes, or raise UserError."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"无法读取照片文件“{path.name}”：{exc.strerror or exc}。") from exc
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"照片文件“{path.name}”有 {size / 1024 / 1024:.0f} MB，太大了。请用不超过 20 MB 的 JPEG 或 PNG 照片。"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取照片文件“{path.name}”：{exc.strerror or exc}。") from exc
    return normalise_photo(data, path.name)


def normalise_photo(data: bytes, label: str = "照片") -> bytes:
    """Validate image bytes (JPEG or PNG only) and re-encode them as a bounded JPEG."""
    if len(data) > MAX_FILE_BYTES:
        raise UserError("照片文件太大了。请用不超过 20 MB 的 JPEG 或 PNG 照片。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            with Image.open(io.BytesIO(data)) as img:
                if img.format not in ("JPEG", "PNG"):
                    raise UserError(f"“{label}”不是 JPEG 或 PNG 图片（是 {img.format or '未知'} 格式），请另存为 JPG 后再选。")
                if img.width * img.height > MAX_PIXELS:
                    raise UserError(f"“{label}”像素太多（{img.width}×{img.height}），请先缩小照片。")
                img.load()
                rgb = img.convert("RGB")
    except UserError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UserError(f"“{label}”像素太多，请先缩小照片。") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UserError(f"“{label}”不是有效的图片文件，或文件已损坏。请选择 JPEG 或 PNG 照片。") from None
    rgb.thumbnail(TARGET_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=90, dpi=(300, 300))
    return out.getvalue()
