package certificates

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"ardoise/internal/i18n"
)

// MaxObjectives caps the objectives printed; a handful of short ones keep
// the attestation on one page, more push the verification block to a second.
const MaxObjectives = 12

// Page geometry, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 20.0
	textW        = pageW - 2*margin
	qrSize       = 40.0 // with the QR code's quiet zone
	verifyH      = qrSize + 4
)

// Colours.
var (
	ink   = [3]int{33, 37, 41}
	muted = [3]int{90, 96, 104}
	brand = [3]int{0, 63, 125}
)

// renderPDF draws c as an A4 attestation: core fonts only (Helvetica, with
// the cp1252 translator for French accents), compressed streams, and the QR
// code drawn as filled rectangles, so no image or font is embedded and the
// file stays a few kilobytes. The output depends only on c, the catalog and
// baseURL: a regenerated PDF equals the first.
func renderPDF(c *Certificate, cat *i18n.Catalog, baseURL string) ([]byte, error) {
	lang := i18n.Supported(c.Locale)
	t := func(key string, args ...any) string { return cat.T(lang, key, args...) }
	url := verifyURL(baseURL, c.Code)

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.SetCreationDate(c.IssuedAt)
	pdf.SetModificationDate(c.IssuedAt)
	pdf.SetCatalogSort(true)
	heading := t("cert.pdf.title")
	if c.Kind == KindCertification {
		heading = t("cert.crcn.pdf.title")
	}
	pdf.SetTitle(heading+" — "+c.Title, true)
	pdf.SetAuthor(c.Issuer, true)
	pdf.SetCreator("Ardoise", false)
	pdf.SetProducer("Ardoise", false)
	tr := translator(pdf.UnicodeTranslatorFromDescriptor(""))
	pdf.AddPage()

	color := func(c [3]int) { pdf.SetTextColor(c[0], c[1], c[2]) }
	centered := func(size float64, style string, col [3]int, lineH float64, s string) {
		pdf.SetFont("Helvetica", style, size)
		color(col)
		pdf.MultiCell(textW, lineH, tr(s), "", "C", false)
	}

	// Header: issuer, title, rule.
	centered(10, "", muted, 5, c.Issuer)
	pdf.Ln(8)
	centered(26, "B", brand, 12, heading)
	pdf.Ln(3)
	pdf.SetDrawColor(brand[0], brand[1], brand[2])
	pdf.SetLineWidth(0.6)
	y := pdf.GetY()
	pdf.Line(pageW/2-30, y, pageW/2+30, y)
	pdf.Ln(10)

	row := func(label, value string) {
		pdf.SetFont("Helvetica", "B", 11)
		color(muted)
		pdf.CellFormat(55, 6.5, tr(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 11)
		color(ink)
		pdf.MultiCell(textW-55, 6.5, tr(value), "", "L", false)
	}
	if c.Kind == KindCertification {
		certificationBody(pdf, c, tr, t, centered, row, cat, lang)
	} else {
		trainingBody(pdf, c, tr, t, centered, row, cat, lang)
	}
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "I", 10)
	color(muted)
	pdf.MultiCell(textW, 5, tr(t(issuedKey(c), "date", formatDate(cat, lang, c.IssuedAt), "issuer", c.Issuer)), "", "L", false)

	// Verification block, at the foot of the page (of a second one if the
	// objectives filled the first).
	if err := verificationBlock(pdf, c, tr, t, url); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("certificates: pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// Drawing helpers shared by the kinds' bodies.
type (
	textFn     func(string) string
	catalogFn  func(key string, args ...any) string
	centeredFn func(size float64, style string, col [3]int, lineH float64, s string)
	rowFn      func(label, value string)
)

func setColor(pdf *fpdf.Fpdf, c [3]int) { pdf.SetTextColor(c[0], c[1], c[2]) }

// issuedKey is the catalog key of the "issued on … by …" line.
func issuedKey(c *Certificate) string {
	if c.Kind == KindCertification {
		return "cert.crcn.pdf.issued"
	}
	return "cert.pdf.issued"
}

// holderBlock draws, centred, "we certify that", the holder, what they
// did, and the title.
func holderBlock(pdf *fpdf.Fpdf, centered centeredFn, certifies, holder, did, title string) {
	centered(12, "", ink, 6, certifies)
	pdf.Ln(2)
	centered(20, "B", ink, 10, holder)
	pdf.Ln(2)
	centered(12, "", ink, 6, did)
	pdf.Ln(2)
	centered(16, "B", ink, 8, title)
}

// trainingBody draws an attestation's holder, module, objectives and details.
func trainingBody(pdf *fpdf.Fpdf, c *Certificate, tr textFn, t catalogFn, centered centeredFn, row rowFn, cat *i18n.Catalog, lang string) {
	// Who, what.
	holderBlock(pdf, centered, t("cert.pdf.certifies"), c.HolderName, t("cert.pdf.followed"), c.Title)
	centered(10, "", muted, 5, t("cert.pdf.version", "version", c.Version))
	pdf.Ln(8)

	// Objectives.
	if len(c.Objectives) > 0 {
		pdf.SetFont("Helvetica", "B", 12)
		setColor(pdf, brand)
		pdf.CellFormat(textW, 7, tr(t("cert.pdf.objectives")), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 11)
		setColor(pdf, ink)
		for i, o := range c.Objectives {
			if i == MaxObjectives {
				break
			}
			pdf.SetX(margin + 2)
			pdf.CellFormat(5, 5.5, tr("•"), "", 0, "L", false, 0, "")
			pdf.MultiCell(textW-7, 5.5, tr(o), "", "L", false)
		}
		pdf.Ln(5)
	}

	// Details.
	row(t("cert.pdf.nature"), natureLabel(cat, lang, c.Nature))
	row(t("cert.pdf.duration"), formatDuration(cat, lang, c.Minutes))
	if c.Result != "" {
		row(t("cert.pdf.result"), c.Result)
	}
	row(t("cert.pdf.completed"), formatDate(cat, lang, c.CompletedAt))
}

// certificationBody draws a certification's holder, score out of 1024 and
// level per competence.
func certificationBody(pdf *fpdf.Fpdf, c *Certificate, tr textFn, t catalogFn, centered centeredFn, row rowFn, cat *i18n.Catalog, lang string) {
	holderBlock(pdf, centered, t("cert.crcn.pdf.certifies"), c.HolderName, t("cert.crcn.pdf.obtained"), c.Title)
	pdf.Ln(4)
	centered(22, "B", brand, 11, t("cert.crcn.pdf.score", "score", c.Score, "max", MaxScore))
	pdf.Ln(6)
	if len(c.Levels) > 0 {
		pdf.SetFont("Helvetica", "B", 12)
		setColor(pdf, brand)
		pdf.CellFormat(textW, 7, tr(t("cert.crcn.pdf.levels")), "", 1, "L", false, 0, "")
		for _, l := range c.Levels {
			pdf.SetFont("Helvetica", "", 10.5)
			setColor(pdf, ink)
			pdf.CellFormat(textW-30, 6, tr(l.Competence+" "+l.Title), "B", 0, "L", false, 0, "")
			pdf.SetFont("Helvetica", "B", 10.5)
			pdf.CellFormat(30, 6, tr(t("cert.crcn.pdf.level", "level", l.Level)), "B", 1, "R", false, 0, "")
		}
		pdf.Ln(5)
	}
	row(t("cert.crcn.pdf.date"), formatDate(cat, lang, c.CompletedAt))
}

// verificationBlock draws the QR code, the code and the verification
// address at the foot of the page, and the footer.
func verificationBlock(pdf *fpdf.Fpdf, c *Certificate, tr textFn, t catalogFn, url string) error {
	color := func(c [3]int) { setColor(pdf, c) }
	top := pageH - margin - verifyH - 8
	if pdf.GetY() > top-4 {
		pdf.AddPage()
	}
	pdf.SetDrawColor(200, 204, 208)
	pdf.SetLineWidth(0.3)
	pdf.Rect(margin, top, textW, verifyH, "D")
	if err := drawQR(pdf, url, margin+2, top+2, qrSize); err != nil {
		return err
	}
	pdf.LinkString(margin+2, top+2, qrSize, qrSize, url)
	x := margin + qrSize + 8
	w := textW - qrSize - 12
	pdf.SetXY(x, top+5)
	pdf.SetFont("Helvetica", "B", 12)
	color(brand)
	verify := "cert.pdf.verify"
	if c.Kind == KindCertification {
		verify = "cert.crcn.pdf.verify"
	}
	pdf.CellFormat(w, 7, tr(t(verify)), "", 2, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	color(muted)
	pdf.CellFormat(w, 6, tr(t("cert.pdf.code")), "", 2, "L", false, 0, "")
	pdf.SetFont("Courier", "B", 16)
	color(ink)
	pdf.CellFormat(w, 8, DisplayCode(c.Code), "", 2, "L", false, 0, "")
	pdf.SetFont("Helvetica", "U", 9)
	color(brand)
	pdf.CellFormat(w, 5, tr(url), "", 2, "L", false, 0, url)
	pdf.SetX(x)
	pdf.SetFont("Helvetica", "", 8.5)
	color(muted)
	pdf.MultiCell(w, 4.2, tr(t("cert.pdf.verify_hint")), "", "L", false)

	pdf.SetAutoPageBreak(false, 0) // the footer sits in the bottom margin
	pdf.SetXY(margin, pageH-margin+4)
	pdf.SetFont("Helvetica", "", 7.5)
	pdf.CellFormat(textW, 4, tr(t("cert.pdf.footer", "id", c.ID)), "", 0, "C", false, 0, "")
	return nil
}

// drawQR draws the QR code of content as filled rectangles, one per run of
// dark modules on a row, in a size×size square at (x, y), quiet zone included.
func drawQR(pdf *fpdf.Fpdf, content string, x, y, size float64) error {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("certificates: qr code: %w", err)
	}
	bm := q.Bitmap() // with its quiet zone
	n := float64(len(bm))
	m := size / n
	pdf.SetFillColor(0, 0, 0)
	for r, line := range bm {
		for c := 0; c < len(line); {
			if !line[c] {
				c++
				continue
			}
			start := c
			for c < len(line) && line[c] {
				c++
			}
			// A hair of overlap hides the seams some viewers draw between rows.
			pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m+0.02, "F")
		}
	}
	return nil
}

// translator wraps fpdf's cp1252 translator: text is composed first (NFC),
// and a letter outside cp1252 falls back to its base letter ("ő" → "o")
// rather than a dot.
func translator(cp1252 func(string) string) func(string) string {
	return func(s string) string {
		s = norm.NFC.String(s)
		var b strings.Builder
		for _, r := range s {
			if r < 0x80 || cp1252(string(r)) != "." {
				b.WriteRune(r)
				continue
			}
			base := noDecomposition[r]
			for _, d := range norm.NFD.String(string(r)) {
				if d < 0x80 || (!unicode.Is(unicode.Mn, d) && cp1252(string(d)) != ".") {
					base += string(d)
				}
			}
			switch {
			case base != "":
				b.WriteString(base)
			case unicode.IsSpace(r):
				b.WriteByte(' ')
			default:
				b.WriteRune('?')
			}
		}
		return cp1252(b.String())
	}
}

// noDecomposition spells the Latin letters that Unicode does not decompose
// into a base letter and a mark.
var noDecomposition = map[rune]string{
	'Ł': "L", 'ł': "l", 'Đ': "D", 'đ': "d", 'Ħ': "H", 'ħ': "h", 'ı': "i", 'Ŀ': "L", 'ŀ': "l", 'Ŧ': "T", 'ŧ': "t",
}

// verifyURL is the public verification page of a code.
func verifyURL(baseURL, code string) string {
	return strings.TrimSuffix(baseURL, "/") + "/verifier/" + code
}

// downloadURL is where the holder downloads an attestation from their profile.
func downloadURL(baseURL, certID string) string {
	return strings.TrimSuffix(baseURL, "/") + "/profil/attestations/" + certID + ".pdf"
}
