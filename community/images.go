package community

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// ImagesCollection holds the images members upload for their posts: the
// only images a post may show.
const ImagesCollection = "community_images"

// MaxImage bounds an uploaded image.
const MaxImage = 512 << 10

// image types accepted, by the type sniffed from the bytes (never the name).
var imageTypes = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

type imageDoc struct {
	ID          string    `bson:"_id"` // content hash + extension
	ContentType string    `bson:"contentType"`
	Data        []byte    `bson:"data"`
	OwnerID     string    `bson:"ownerId"`
	CreatedAt   time.Time `bson:"createdAt"`
}

// UploadImage stores an image for posts and returns its URL. Trusted
// members with a verified address only (new accounts post no images); PNG, JPEG, GIF or WebP by
// content, at most 512 KB; the same image is stored once.
func (s *Service) UploadImage(ctx context.Context, u *profile.User, data []byte) (string, error) {
	if !u.EmailVerified {
		return "", errkind.EmailUnverified()
	}
	if !s.trust(ctx, u).Images {
		return "", &errkind.RefusedError{Code: RefusedImages}
	}
	if len(data) == 0 {
		return "", errkind.Invalid("image", "required")
	}
	if len(data) > MaxImage {
		return "", errkind.Invalid("image", "image_too_large")
	}
	ct := http.DetectContentType(data)
	ext, ok := imageTypes[ct]
	if !ok {
		return "", errkind.Invalid("image", "image_type")
	}
	sum := sha256.Sum256(data)
	id := hex.EncodeToString(sum[:16]) + ext
	if err := s.store.InsertImage(ctx, imageDoc{ID: id, ContentType: ct, Data: data, OwnerID: u.ID, CreatedAt: s.now()}); err != nil {
		return "", err
	}
	return ImagePrefix + id, nil
}

// Image returns an uploaded image and its type.
func (s *Service) Image(ctx context.Context, id string) ([]byte, string, error) {
	return s.store.Image(ctx, id)
}
