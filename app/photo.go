package app

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // decoders for the photos phones export
	"image/jpeg"
	_ "image/png"

	"golang.org/x/image/draw"
)

// thumbnailSize is the longer side of a contact's thumbnail, in pixels: a
// list row or card header never shows more.
const thumbnailSize = 128

// maxPhotoPixels refuses images that would take gigabytes to decode: a phone
// photo is 12 to 50 megapixels.
const maxPhotoPixels = 100_000_000

// Thumbnail scales a photo (JPEG, PNG or GIF) down to a small JPEG. A photo
// already small enough is re-encoded, never scaled up.
func Thumbnail(photo []byte) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(photo))
	if err != nil {
		return nil, fmt.Errorf("photo: %w", err)
	}
	if cfg.Width*cfg.Height > maxPhotoPixels {
		return nil, fmt.Errorf("photo: %d×%d pixels is too large", cfg.Width, cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(photo))
	if err != nil {
		return nil, fmt.Errorf("photo: %w", err)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return nil, fmt.Errorf("photo: empty image")
	}
	scale := min(1, float64(thumbnailSize)/float64(max(w, h)))
	tw, th := max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("photo: %w", err)
	}
	return out.Bytes(), nil
}
