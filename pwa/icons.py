"""Draw the app icons into dist/icons: a white 安 on safety red (plain, and maskable with margin).

Run after `npm run build` (which empties dist/); uses Pillow from the project's virtualenv.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED, WHITE = (179, 18, 31), (255, 255, 255)
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
OUT = Path(__file__).parent / "dist" / "icons"


def font(size):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def draw(size, safe_fraction, rounded):
    image = Image.new("RGB", (size, size), WHITE if rounded else RED)
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=RED)
    inner = int(size * safe_fraction)
    glyph = font(inner)
    if glyph is not None:
        pen.text((size / 2, size / 2), "安", font=glyph, fill=WHITE, anchor="mm")
    else:  # no CJK font on this machine: a white shield shape instead
        m = (size - inner) // 2
        pen.polygon(
            [(m, m), (size - m, m), (size - m, size // 2), (size // 2, size - m), (m, size // 2)], fill=WHITE
        )
    return image


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (180, 192, 512):
        draw(size, 0.62, rounded=size != 180).save(OUT / f"icon-{size}.png", optimize=True)
    # Maskable: the glyph inside the central 80 % safe zone, full-bleed background.
    draw(512, 0.45, rounded=False).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
