"""Draw the DermDesk icon: resources/icons/dermdesk.svg by hand-kept geometry, and PNG/ICO from it.

A dermatoscope's round lens (teal ring) over a brown lesion on skin. Own work, see resources/CREDITS.md.
Run `python scripts/make_icon.py` after changing the geometry; the outputs are committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
SKIN, RING, LESION, LENS = "#f1c9a8", "#137a7f", "#6b3b22", "#fbe7d6"

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <rect x="8" y="8" width="240" height="240" rx="48" fill="{SKIN}"/>
  <circle cx="128" cy="128" r="92" fill="{LENS}" stroke="{RING}" stroke-width="20"/>
  <ellipse cx="128" cy="132" rx="42" ry="34" fill="{LESION}"/>
  <circle cx="112" cy="120" r="9" fill="#8d5634"/>
</svg>
"""


def draw(size: int) -> Image.Image:
    scale = size / 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)

    def box(cx: float, cy: float, rx: float, ry: float) -> tuple[float, float, float, float]:
        return ((cx - rx) * scale, (cy - ry) * scale, (cx + rx) * scale, (cy + ry) * scale)

    d.rounded_rectangle((8 * scale, 8 * scale, 248 * scale, 248 * scale), radius=48 * scale, fill=SKIN)
    d.ellipse(box(128, 128, 102, 102), fill=RING)
    d.ellipse(box(128, 128, 82, 82), fill=LENS)
    d.ellipse(box(128, 132, 42, 34), fill=LESION)
    d.ellipse(box(112, 120, 9, 9), fill="#8d5634")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dermdesk.svg").write_text(SVG, encoding="utf-8")
    big = draw(256)
    big.save(OUT / "dermdesk.png")
    big.save(OUT / "dermdesk.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
