package community

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
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
	_, err := s.images.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$setOnInsert": imageDoc{ID: id, ContentType: ct, Data: data,
		OwnerID: u.ID, CreatedAt: s.now()}}, upsert)
	if err != nil && !database.IsDuplicate(err) {
		return "", database.Wrap(err, "community: store image")
	}
	return ImagePrefix + id, nil
}

// Image returns an uploaded image and its type.
func (s *Service) Image(ctx context.Context, id string) ([]byte, string, error) {
	var d imageDoc
	if err := s.images.FindOne(ctx, bson.M{"_id": id}).Decode(&d); err != nil {
		return nil, "", database.Wrap(err, fmt.Sprintf("community: image %q", id))
	}
	return d.Data, d.ContentType, nil
}
