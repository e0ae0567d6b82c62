package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ardoise/internal/boot"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// roles of the authorization matrix, in column order.
var matrixRoles = []profile.Role{"", profile.RoleLearner, profile.RoleTrainer, profile.RoleInspector, profile.RoleAdmin}

// route is one row of the authorization matrix: the status each of
// anonymous, learner, trainer, inspector and admin gets.
type route struct {
	method, path, pattern string
	form                  url.Values
	json                  string
	want                  [5]int
	fresh                 bool // the request ends the session or the token: use a new account
}

const (
	ok     = http.StatusOK
	see    = http.StatusSeeOther
	unauth = http.StatusUnauthorized
	forb   = http.StatusForbidden
	bad    = http.StatusBadRequest
	unproc = http.StatusUnprocessableEntity
	notf   = http.StatusNotFound
)

var (
	anyone    = func(s int) [5]int { return [5]int{s, s, s, s, s} }
	userPage  = [5]int{see, ok, ok, ok, ok}
	adminPage = [5]int{see, forb, forb, forb, ok}
	adminPost = [5]int{unauth, forb, forb, forb, unproc}
)

func matrix() []route {
	pw := url.Values{"password": {"un nouveau mot de passe"}, "jeton": {"faux"}}
	return []route{
		{method: "GET", path: "/", want: anyone(ok)},
		{method: "GET", path: "/healthz", want: anyone(ok)},
		{method: "GET", path: "/readyz", want: anyone(ok)},
		{method: "GET", path: "/metrics", want: [5]int{notf, notf, notf, notf, ok}}, // operators only (ARDOISE_OPS_NETWORKS or admin)
		{method: "GET", path: "/static/nope.css", pattern: "/static/:file", want: anyone(notf)},
		{method: "POST", path: "/langue", form: url.Values{"lang": {"en"}}, want: anyone(see)},
		{method: "GET", path: "/inscription", want: [5]int{ok, see, see, see, see}},
		{method: "POST", path: "/inscription", form: url.Values{}, want: anyone(unproc)},
		{method: "GET", path: "/connexion", want: [5]int{ok, see, see, see, see}},
		{method: "POST", path: "/connexion", form: url.Values{"email": {"x@y.fr"}, "password": {"faux mot de passe"}}, want: anyone(unauth)},
		{method: "POST", path: "/deconnexion", want: anyone(see), fresh: true},
		{method: "GET", path: "/verifier-email", want: anyone(bad)},
		{method: "POST", path: "/verifier-email/renvoyer", want: [5]int{unauth, see, see, see, see}},
		{method: "GET", path: "/mot-de-passe/oubli", want: anyone(ok)},
		{method: "POST", path: "/mot-de-passe/oubli", form: url.Values{"email": {"pas-une-adresse"}}, want: anyone(unproc)},
		{method: "GET", path: "/mot-de-passe/nouveau", want: anyone(bad)},
		{method: "POST", path: "/mot-de-passe/nouveau", form: pw, want: anyone(bad)},
		{method: "GET", path: "/profil", pattern: "/profil/", want: userPage},
		{method: "GET", path: "/profil/modifier", want: userPage},
		{method: "POST", path: "/profil/modifier", form: url.Values{}, want: [5]int{unauth, unproc, unproc, unproc, unproc}},
		{method: "POST", path: "/profil/mot-de-passe", form: url.Values{}, want: [5]int{unauth, unproc, unproc, unproc, unproc}},
		{method: "POST", path: "/profil/jetons", form: url.Values{"label": {"essai"}}, want: [5]int{unauth, ok, ok, ok, ok}},
		{method: "POST", path: "/profil/jetons/inconnu/revoquer", pattern: "/profil/jetons/:id/revoquer", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/profil/deconnecter-partout", want: [5]int{unauth, see, see, see, see}, fresh: true},
		{method: "GET", path: "/profil/donnees", want: userPage},
		{method: "GET", path: "/profil/supprimer", want: userPage},
		{method: "POST", path: "/profil/supprimer", form: url.Values{}, want: [5]int{unauth, unproc, unproc, unproc, unproc}},
		{method: "GET", path: "/contenu/images/crcn-1.1-sponsorise.svg", pattern: "/contenu/images/:file", want: anyone(ok)},
		{method: "GET", path: "/positionnement", want: anyone(ok)},
		{method: "POST", path: "/positionnement", form: url.Values{"framework": {"inconnu"}}, want: anyone(bad)},
		{method: "GET", path: "/positionnement/inconnu", pattern: "/positionnement/:id", want: anyone(notf)},
		{method: "POST", path: "/positionnement/inconnu/reponse", pattern: "/positionnement/:id/reponse", want: anyone(notf)},
		{method: "POST", path: "/positionnement/inconnu/focus", pattern: "/positionnement/:id/focus", want: anyone(notf)},
		{method: "GET", path: "/positionnement/inconnu/resultat", pattern: "/positionnement/:id/resultat", want: anyone(notf)},
		{method: "GET", path: "/resultat/inconnu.faux", pattern: "/resultat/:token", want: anyone(notf)},
		// Joining a campaign: a visitor gets the page with a sign-in link (401 on POST); a wrong code is refused next to the field.
		{method: "GET", path: "/campagne", want: anyone(ok)},
		{method: "POST", path: "/campagne", form: url.Values{"code": {"inconnu"}}, want: [5]int{unauth, unproc, unproc, unproc, unproc}},
		{method: "POST", path: "/campagne/participations/inconnue/envoi", pattern: "/campagne/participations/:id/envoi", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/profil/attestations/inconnu.pdf", pattern: "/profil/attestations/:id.pdf", want: [5]int{see, notf, notf, notf, notf}},
		// Open Badges credentials: the holder's own only (404 for another's); the issuer's keys, Profile and status lists are public.
		{method: "GET", path: "/profil/attestations/inconnu.jwt", pattern: "/profil/attestations/:id.jwt", want: [5]int{see, notf, notf, notf, notf}},
		{method: "GET", path: "/profil/attestations/inconnu.json", pattern: "/profil/attestations/:id.json", want: [5]int{see, notf, notf, notf, notf}},
		{method: "GET", path: "/api/v1/certificates/inconnu/credential", pattern: "/api/v1/certificates/:id/credential", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/.well-known/jwks.json", want: anyone(ok)},
		{method: "GET", path: "/credentials/issuer", want: anyone(ok)},
		{method: "GET", path: "/credentials/status/1", pattern: "/credentials/status/:list", want: anyone(ok)},
		{method: "GET", path: "/credentials/status/0", pattern: "/credentials/status/:list", want: anyone(notf)},
		{method: "GET", path: "/modules", want: anyone(ok)},
		{method: "GET", path: "/modules/inconnu", pattern: "/modules/:slug", want: anyone(notf)},
		{method: "GET", path: "/modules/inconnu/pages/01-a", pattern: "/modules/:slug/pages/:page", want: anyone(see)},
		{method: "POST", path: "/modules/inconnu/inscription", pattern: "/modules/:slug/inscription", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/modules/inconnu/version", pattern: "/modules/:slug/version", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/modules/inconnu/terminer", pattern: "/modules/:slug/terminer", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/modules/inconnu/pages/01-a/quiz/q1", pattern: "/modules/:slug/pages/:page/quiz/:quiz", form: url.Values{"choix": {"a"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/modules/inconnu/pages/01-a/activite", pattern: "/modules/:slug/pages/:page/activite", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/verifier", want: anyone(ok)},
		{method: "GET", path: "/verifier/ABCDEFGHJK", pattern: "/verifier/:code", want: anyone(notf)},
		{method: "GET", path: "/inspection/heures", want: [5]int{see, forb, forb, ok, ok}},
		{method: "POST", path: "/inspection/heures", form: url.Values{}, want: [5]int{unauth, forb, forb, unproc, unproc}},
		{method: "POST", path: "/inspection/heures/export", form: url.Values{}, want: [5]int{unauth, forb, forb, ok, ok}},
		// Campaign dashboards: trainers and inspectors (with a scope) see their own campaigns only.
		{method: "GET", path: "/suivi/campagnes", want: [5]int{see, forb, ok, ok, ok}},
		{method: "POST", path: "/suivi/campagnes", form: url.Values{}, want: [5]int{unauth, forb, unproc, unproc, unproc}},
		{method: "GET", path: "/suivi/campagnes/inconnue", pattern: "/suivi/campagnes/:id", want: [5]int{see, forb, notf, notf, notf}},
		{method: "GET", path: "/suivi/campagnes/inconnue/export.csv", pattern: "/suivi/campagnes/:id/export.csv", want: [5]int{see, forb, notf, notf, notf}},
		{method: "GET", path: "/api/v1/campaigns/inconnue/results", pattern: "/api/v1/campaigns/:id/results", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/suivi/territoire", want: [5]int{see, forb, forb, ok, ok}},               // the inspector's scope (admin: theirs)
		{method: "GET", path: "/suivi/certification", want: [5]int{see, forb, forb, ok, ok}},            // certification in the scope
		{method: "GET", path: "/suivi/certification/export.csv", want: [5]int{see, forb, forb, ok, ok}}, // its CSV
		{method: "GET", path: "/formation/modules", want: [5]int{see, forb, ok, forb, ok}},
		{method: "POST", path: "/formation/modules/import", form: url.Values{}, want: [5]int{unauth, forb, unproc, forb, unproc}},
		{method: "POST", path: "/formation/modules/inconnu/publier", pattern: "/formation/modules/:slug/publier", form: url.Values{}, want: [5]int{unauth, forb, notf, forb, notf}},
		{method: "GET", path: "/formation/modules/inconnu/versions", pattern: "/formation/modules/:slug/versions", want: [5]int{see, forb, notf, forb, notf}},
		{method: "POST", path: "/formation/modules/inconnu/restaurer/1", pattern: "/formation/modules/:slug/restaurer/:n", want: [5]int{unauth, forb, notf, forb, notf}},
		{method: "GET", path: "/formation/modules/inconnu/fichiers/module.md", pattern: "/formation/modules/:slug/fichiers/:file", want: [5]int{see, forb, notf, forb, notf}},
		{method: "POST", path: "/formation/modules/inconnu/fichiers/module.md", pattern: "/formation/modules/:slug/fichiers/:file", form: url.Values{"source": {"x"}}, want: [5]int{unauth, forb, notf, forb, notf}},
		{method: "POST", path: "/formation/modules/inconnu/coproprietaires", pattern: "/formation/modules/:slug/coproprietaires", form: url.Values{"email": {"personne@nulle.part"}}, want: [5]int{unauth, forb, notf, forb, notf}}, // the module before the address
		{method: "GET", path: "/formation/sessions", want: [5]int{see, forb, ok, forb, ok}},
		{method: "POST", path: "/formation/sessions", form: url.Values{}, want: [5]int{unauth, forb, unproc, forb, unproc}},
		{method: "GET", path: "/formation/sessions/inconnue", pattern: "/formation/sessions/:id", want: [5]int{see, forb, notf, forb, notf}},
		{method: "POST", path: "/formation/sessions/inconnue/participants", pattern: "/formation/sessions/:id/participants", form: url.Values{"email": {"x@y.fr"}}, want: [5]int{unauth, forb, notf, forb, notf}},
		{method: "POST", path: "/formation/sessions/inconnue/presence", pattern: "/formation/sessions/:id/presence", want: [5]int{unauth, forb, notf, forb, notf}},
		{method: "POST", path: "/formation/sessions/inconnue/cloturer", pattern: "/formation/sessions/:id/cloturer", want: [5]int{unauth, forb, notf, forb, notf}},
		{method: "GET", path: "/admin/attestations", want: adminPage},
		{method: "POST", path: "/admin/attestations/inconnue/revoquer", pattern: "/admin/attestations/:id/revoquer", form: url.Values{"motif": {"un motif"}}, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/admin/attestations/inconnue/retablir", pattern: "/admin/attestations/:id/retablir", form: url.Values{"motif": {"un motif"}}, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "GET", path: "/admin/utilisateurs", want: adminPage},
		{method: "POST", path: "/admin/utilisateurs/inconnu/role", pattern: "/admin/utilisateurs/:id/role", form: url.Values{"role": {"trainer"}}, want: adminPost},
		{method: "POST", path: "/admin/utilisateurs/inconnu/suspension", pattern: "/admin/utilisateurs/:id/suspension", form: url.Values{"action": {"suspend"}}, want: adminPost},
		{method: "POST", path: "/admin/utilisateurs/inconnu/perimetre", pattern: "/admin/utilisateurs/:id/perimetre", form: url.Values{"scope": {"lyon/69"}}, want: adminPost},
		{method: "GET", path: "/admin/journal", want: adminPage},
		{method: "GET", path: "/admin/mails", want: adminPage},
		{method: "GET", path: "/admin/questions", want: adminPage},
		{method: "GET", path: "/admin/queues", want: adminPage},
		{method: "GET", path: "/admin/queues/api/queues", pattern: "/admin/queues/*", want: adminPage},
		// asynqmon's own API: state changes need a same-origin request on top of the admin role.
		{method: "POST", path: "/admin/queues/api/queues/default:pause", pattern: "/admin/queues/*", want: [5]int{unauth, forb, forb, forb, forb}},
		{method: "POST", path: "/api/v1/auth/register", json: `{}`, want: anyone(bad)},
		{method: "POST", path: "/api/v1/auth/token", json: `{}`, want: anyone(bad)},
		{method: "DELETE", path: "/api/v1/auth/token", want: [5]int{unauth, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent}, fresh: true},
		{method: "GET", path: "/api/v1/me", want: [5]int{unauth, ok, ok, ok, ok}},
		{method: "GET", path: "/api/v1/frameworks", want: anyone(ok)},
		{method: "POST", path: "/api/v1/assessments", json: `{}`, want: [5]int{unauth, bad, bad, bad, bad}},
		{method: "GET", path: "/api/v1/assessments/inconnu", pattern: "/api/v1/assessments/:id", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/assessments/inconnu/answers", pattern: "/api/v1/assessments/:id/answers", json: `{}`, want: [5]int{unauth, bad, bad, bad, bad}},
		{method: "GET", path: "/api/v1/modules", want: anyone(ok)},
		{method: "POST", path: "/api/v1/modules/import", json: `{}`, want: [5]int{unauth, forb, bad, forb, bad}},
		{method: "GET", path: "/api/v1/modules/inconnu", pattern: "/api/v1/modules/:slug", want: anyone(notf)},
		{method: "POST", path: "/api/v1/modules/inconnu/publish", pattern: "/api/v1/modules/:slug/publish", json: `{}`, want: [5]int{unauth, forb, notf, forb, notf}},
		{method: "POST", path: "/api/v1/modules/inconnu/enrolment", pattern: "/api/v1/modules/:slug/enrolment", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/api/v1/enrolments", want: [5]int{unauth, ok, ok, ok, ok}},
		{method: "POST", path: "/api/v1/enrolments/inconnu/views", pattern: "/api/v1/enrolments/:slug/views", json: `{"page":"01-a"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/enrolments/inconnu/heartbeats", pattern: "/api/v1/enrolments/:slug/heartbeats", json: `{"page":"01-a"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/enrolments/inconnu/answers", pattern: "/api/v1/enrolments/:slug/answers", json: `{"quiz":"q1","choice":["a"]}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/enrolments/inconnu/finish", pattern: "/api/v1/enrolments/:slug/finish", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/enrolments/inconnu/move", pattern: "/api/v1/enrolments/:slug/move", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/api/v1/hours", want: [5]int{unauth, ok, ok, ok, ok}},
		{method: "GET", path: "/api/v1/certificates", want: [5]int{unauth, ok, ok, ok, ok}},
		// A campaign's organiser is an inspector (with a scope) or a trainer: who may act is checked before what they sent.
		{method: "POST", path: "/api/v1/campaigns", json: `{}`, want: [5]int{unauth, forb, bad, bad, bad}},
		{method: "GET", path: "/api/v1/campaigns", want: [5]int{unauth, forb, ok, ok, ok}},
		{method: "GET", path: "/api/v1/campaigns/inconnue", pattern: "/api/v1/campaigns/:id", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/campaigns/join", json: `{"code":"AAAA"}`, want: [5]int{unauth, unproc, unproc, unproc, unproc}},
		{method: "POST", path: "/api/v1/participations/inconnue/share", pattern: "/api/v1/participations/:id/share", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/api/v1/territory/dashboard", want: [5]int{unauth, forb, forb, ok, ok}},
		// The candidate's pages: any account may check in (the list decides); a candidate is its account's only.
		{method: "GET", path: "/certification", want: userPage},
		{method: "POST", path: "/certification", form: url.Values{"session": {"12"}, "nom": {"Nom"}, "prenom": {"Prénom"}, "naissance": {"01/01/1980"}}, want: [5]int{unauth, unproc, unproc, unproc, unproc}},
		{method: "GET", path: "/certification/candidat/inconnue-inconnu", pattern: "/certification/candidat/:handle", want: [5]int{see, notf, notf, notf, notf}},
		{method: "POST", path: "/certification/candidat/inconnue-inconnu/code", pattern: "/certification/candidat/:handle/code", form: url.Values{"code": {"AAAA22"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		// The test page is an empty shell: its script asks the API, which checks the account and the device.
		{method: "GET", path: "/certification/test/inconnu", pattern: "/certification/test/:id", want: userPage},
		// The invigilator's pages: a supervision cookie, no account; without it, back to the password form.
		{method: "GET", path: "/surveillance", want: anyone(ok)},
		{method: "POST", path: "/surveillance", form: url.Values{"session": {"654321"}, "password": {"AAAAAA"}}, want: anyone(forb)},
		{method: "GET", path: "/surveillance/session", want: anyone(see)},
		{method: "POST", path: "/surveillance/ouvrir", want: anyone(see)},
		{method: "POST", path: "/surveillance/candidats/inconnu/presence", pattern: "/surveillance/candidats/:id/presence", want: anyone(see)},
		{method: "POST", path: "/surveillance/candidats/inconnu/fin", pattern: "/surveillance/candidats/:id/fin", form: url.Values{"motif": {"un motif"}}, want: anyone(see)},
		{method: "POST", path: "/surveillance/alertes/inconnue", pattern: "/surveillance/alertes/:id", form: url.Values{"decision": {"validate"}}, want: anyone(see)},
		{method: "POST", path: "/surveillance/quitter", want: anyone(see)},
		// Certification on the day. The invigilator's routes take a supervision token, never an account:
		// an account's token or cookie is not one (401); a wrong password is refused (403).
		{method: "POST", path: "/api/v1/certification/supervision", json: `{"session":123456,"password":"AAAAAA"}`, want: anyone(forb)},
		{method: "POST", path: "/api/v1/certification/supervision/open", want: anyone(unauth)},
		{method: "GET", path: "/api/v1/certification/supervision", want: anyone(unauth)},
		{method: "POST", path: "/api/v1/certification/supervision/candidates/inconnu/confirm", pattern: "/api/v1/certification/supervision/candidates/:id/confirm", want: anyone(unauth)},
		{method: "POST", path: "/api/v1/certification/supervision/alerts/inconnue", pattern: "/api/v1/certification/supervision/alerts/:id", json: `{"decision":"validate"}`, want: anyone(unauth)},
		{method: "POST", path: "/api/v1/certification/supervision/candidates/inconnu/end", pattern: "/api/v1/certification/supervision/candidates/:id/end", json: `{"reason":"un motif"}`, want: anyone(unauth)},
		// The candidate's routes: an account on the list, then the device that started (404 for anyone else's).
		{method: "POST", path: "/api/v1/certification/checkin", json: `{"session":123456,"lastName":"Nom","firstName":"Prénom","birthDate":"1980-01-01"}`, want: [5]int{unauth, unproc, unproc, unproc, unproc}},
		{method: "GET", path: "/api/v1/certification/candidates/inconnue-inconnu", pattern: "/api/v1/certification/candidates/:id", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/certification/start", json: `{"candidate":"inconnue-inconnu","accessCode":"AAAA22"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/api/v1/certifications/inconnue", pattern: "/api/v1/certifications/:id", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/certifications/inconnue/answers", pattern: "/api/v1/certifications/:id/answers", json: `{"challengeId":"x","answer":"a"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/certifications/inconnue/alerts", pattern: "/api/v1/certifications/:id/alerts", json: `{"reason":"image"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		// A report about a question no longer served (or of no test) changes nothing and says nothing.
		{method: "POST", path: "/api/v1/certifications/inconnue/focus", pattern: "/api/v1/certifications/:id/focus", json: `{"challengeId":"x"}`, want: [5]int{unauth, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent, http.StatusNoContent}},
		// Certification, setting up: admins create centres; a centre's référents (no role of their own: any account an
		// admin names) create its sessions and import candidates; an account that is a référent of no centre is refused.
		{method: "POST", path: "/api/v1/certification/centres", json: `{}`, want: [5]int{unauth, forb, forb, forb, bad}},
		{method: "POST", path: "/api/v1/certification/sessions", json: `{}`, want: [5]int{unauth, forb, forb, forb, forb}},
		{method: "GET", path: "/api/v1/certification/sessions/inconnue", pattern: "/api/v1/certification/sessions/:id", want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/api/v1/certification/sessions/inconnue/candidates", pattern: "/api/v1/certification/sessions/:id/candidates", json: `{}`, want: [5]int{unauth, forb, forb, forb, forb}},
		// The same through the pages: an account that is a référent of no centre gets the 403 page that says why.
		{method: "GET", path: "/admin/centres", want: adminPage},
		{method: "POST", path: "/admin/centres", form: url.Values{}, want: [5]int{unauth, forb, forb, forb, unproc}},
		{method: "GET", path: "/certification/centre", want: [5]int{see, forb, forb, forb, forb}},
		{method: "POST", path: "/certification/centre/sessions", form: url.Values{}, want: [5]int{unauth, forb, forb, forb, forb}},
		{method: "GET", path: "/certification/centre/sessions/inconnue", pattern: "/certification/centre/sessions/:id", want: [5]int{see, forb, forb, forb, notf}},
		{method: "POST", path: "/certification/centre/sessions/inconnue/candidats", pattern: "/certification/centre/sessions/:id/candidats", form: url.Values{}, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/certification/centre/sessions/inconnue/candidat", pattern: "/certification/centre/sessions/:id/candidat", form: url.Values{}, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/certification/centre/sessions/inconnue/finaliser", pattern: "/certification/centre/sessions/:id/finaliser", form: url.Values{}, want: [5]int{unauth, forb, forb, forb, notf}},
		// The jury's pages: admins only; which admin may judge a session is the session's business (404 for none).
		{method: "GET", path: "/admin/jury", want: adminPage},
		{method: "GET", path: "/admin/jury/inconnue", pattern: "/admin/jury/:id", want: [5]int{see, forb, forb, forb, notf}},
		{method: "POST", path: "/admin/jury/inconnue/tests/inconnu", pattern: "/admin/jury/:id/tests/:test", form: url.Values{"decision": {"validate"}}, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/admin/jury/inconnue/tests/inconnu/revoquer", pattern: "/admin/jury/:id/tests/:test/revoquer", form: url.Values{"reason": {"un motif"}}, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/admin/jury/inconnue/publier", pattern: "/admin/jury/:id/publier", want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "GET", path: "/api/v1/certificates/ABCDEFGHJK", pattern: "/api/v1/certificates/:code", want: anyone(notf)},
		// Certification, after the session: the référent finalizes (who is a
		// référent is the session's centre's business), the jury is an admin.
		{method: "POST", path: "/api/v1/certification/sessions/inconnue/finalize", pattern: "/api/v1/certification/sessions/:id/finalize", json: `{}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/api/v1/certification/sessions/inconnue/jury", pattern: "/api/v1/certification/sessions/:id/jury", want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/api/v1/certification/sessions/inconnue/publish", pattern: "/api/v1/certification/sessions/:id/publish", want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "GET", path: "/api/v1/certifications", want: [5]int{unauth, ok, ok, ok, ok}},
		{method: "POST", path: "/api/v1/certifications/inconnue/jury", pattern: "/api/v1/certifications/:id/jury", json: `{}`, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/api/v1/certifications/inconnue/revoke", pattern: "/api/v1/certifications/:id/revoke", json: `{}`, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "GET", path: "/api/v1/inspection/hours", want: [5]int{unauth, forb, forb, ok, ok}},
		{method: "POST", path: "/api/v1/inspection/hours/review", json: `{}`, want: [5]int{unauth, forb, forb, bad, bad}},
		{method: "POST", path: "/api/v1/inspection/hours/export", json: `{}`, want: [5]int{unauth, forb, forb, ok, ok}},
		{method: "GET", path: "/communaute", pattern: "/communaute/", want: userPage},
		{method: "POST", path: "/communaute/espaces", form: url.Values{}, want: [5]int{unauth, forb, unproc, forb, unproc}},
		{method: "GET", path: "/communaute/recherche", want: userPage},
		{method: "GET", path: "/communaute/fils/inconnu", pattern: "/communaute/fils/:thread", want: [5]int{see, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/fils/inconnu/reponses", pattern: "/communaute/fils/:thread/reponses", form: url.Values{"body": {"Bonjour"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/fils/inconnu/moderation", pattern: "/communaute/fils/:thread/moderation", form: url.Values{"action": {"lock"}, "motif": {"un motif"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/communaute/messages/inconnu/modifier", pattern: "/communaute/messages/:post/modifier", want: [5]int{see, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/messages/inconnu/modifier", pattern: "/communaute/messages/:post/modifier", form: url.Values{"body": {"x"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/messages/inconnu/supprimer", pattern: "/communaute/messages/:post/supprimer", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/messages/inconnu/accepter", pattern: "/communaute/messages/:post/accepter", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/messages/inconnu/signaler", pattern: "/communaute/messages/:post/signaler", form: url.Values{"motif": {"un motif"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/messages/inconnu/masquer", pattern: "/communaute/messages/:post/masquer", form: url.Values{"motif": {"un motif"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/messages/inconnu/retablir", pattern: "/communaute/messages/:post/retablir", form: url.Values{"motif": {"un motif"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		// A members-only space of another académie does not exist for outsiders (404, not 403).
		{method: "GET", path: "/communaute/academie-paris", pattern: "/communaute/:space", want: [5]int{see, notf, notf, notf, ok}},
		{method: "POST", path: "/communaute/academie-paris/fils", pattern: "/communaute/:space/fils", form: url.Values{}, want: [5]int{unauth, notf, notf, notf, unproc}},
		{method: "GET", path: "/communaute/academie-lyon/signalements", pattern: "/communaute/:space/signalements", want: [5]int{see, forb, forb, forb, ok}},
		{method: "POST", path: "/communaute/academie-paris/silence", pattern: "/communaute/:space/silence", form: url.Values{"membre": {"x"}, "jours": {"1"}, "motif": {"un motif"}}, want: [5]int{unauth, notf, notf, notf, see}},
		{method: "GET", path: "/admin/moderation", want: adminPage},
		{method: "GET", path: "/api/v1/spaces", want: [5]int{unauth, ok, ok, ok, ok}},
		{method: "GET", path: "/api/v1/spaces/academie-paris/threads", pattern: "/api/v1/spaces/:id/threads", want: [5]int{unauth, notf, notf, notf, ok}},
		{method: "POST", path: "/api/v1/spaces/academie-paris/threads", pattern: "/api/v1/spaces/:id/threads", json: `{}`, want: [5]int{unauth, notf, notf, notf, bad}},
		{method: "GET", path: "/api/v1/threads/inconnu", pattern: "/api/v1/threads/:id", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/threads/inconnu/posts", pattern: "/api/v1/threads/:id/posts", json: `{"body":"Bonjour"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "PATCH", path: "/api/v1/posts/inconnu", pattern: "/api/v1/posts/:id", json: `{"body":"Bonjour"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/posts/inconnu/accept", pattern: "/api/v1/posts/:id/accept", want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/posts/inconnu/flags", pattern: "/api/v1/posts/:id/flags", json: `{"reason":"un motif"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/posts/inconnu/hide", pattern: "/api/v1/posts/:id/hide", json: `{"reason":"un motif"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "GET", path: "/api/v1/search", want: [5]int{unauth, bad, bad, bad, bad}},
		{method: "GET", path: "/communaute/desabonnement?u=x&s=faux", pattern: "/communaute/desabonnement", want: anyone(notf)},
		{method: "GET", path: "/membres/inconnu", pattern: "/membres/:handle", want: [5]int{see, notf, notf, notf, notf}},
		{method: "GET", path: "/communaute/notifications", want: userPage},
		{method: "POST", path: "/communaute/notifications/lues", want: [5]int{unauth, see, see, see, see}},
		{method: "GET", path: "/communaute/moi", want: userPage},
		{method: "POST", path: "/communaute/abonnement", form: url.Values{"type": {"space"}, "id": {"academie-paris"}, "suivre": {"1"}}, want: [5]int{unauth, notf, notf, notf, see}},
		{method: "POST", path: "/profil/courriels-communaute", form: url.Values{"digest": {"toujours"}}, want: [5]int{unauth, bad, bad, bad, bad}},
		{method: "GET", path: "/api/v1/notifications", want: [5]int{unauth, ok, ok, ok, ok}},
		{method: "GET", path: "/communaute/images/inconnue.png", pattern: "/communaute/images/:file", want: anyone(notf)},
		{method: "POST", path: "/communaute/images", form: url.Values{}, want: [5]int{unauth, bad, bad, bad, bad}},
		{method: "POST", path: "/api/v1/images", json: `{}`, want: [5]int{unauth, bad, bad, bad, bad}},
		{method: "POST", path: "/communaute/messages/inconnu/reaction", pattern: "/communaute/messages/:post/reaction", form: url.Values{"kind": {"merci"}, "on": {"1"}}, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/api/v1/posts/inconnu/reactions", pattern: "/api/v1/posts/:id/reactions", json: `{"kind":"merci","on":true}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/academie-paris/membres", pattern: "/communaute/:space/membres", form: url.Values{"email": {"x@y.fr"}}, want: [5]int{unauth, notf, notf, notf, unproc}},
		// Académie requests: {requester} and {requester2} are real Lyon teachers who moved to Paris.
		{method: "GET", path: "/communaute/academie-lyon/demandes", pattern: "/communaute/:space/demandes", want: [5]int{see, forb, forb, forb, ok}},
		{method: "GET", path: "/communaute/academie-paris/demandes", pattern: "/communaute/:space/demandes", want: [5]int{see, notf, notf, notf, ok}},
		{method: "GET", path: "/communaute/parents-parents/demandes", pattern: "/communaute/:space/demandes", want: [5]int{see, forb, forb, forb, notf}},
		{method: "POST", path: "/communaute/academie-lyon/demandes/{requester}", pattern: "/communaute/:space/demandes/:user", form: url.Values{"decision": {"accepter"}}, want: [5]int{unauth, forb, forb, forb, notf}},
		{method: "POST", path: "/communaute/academie-paris/demandes/{requester}", pattern: "/communaute/:space/demandes/:user", form: url.Values{"decision": {"accepter"}}, want: [5]int{unauth, notf, notf, notf, see}},
		{method: "GET", path: "/api/v1/spaces/academie-paris/requests", pattern: "/api/v1/spaces/:id/requests", want: [5]int{unauth, notf, notf, notf, ok}},
		{method: "POST", path: "/api/v1/spaces/academie-paris/requests/{requester2}", pattern: "/api/v1/spaces/:id/requests/:user", json: `{"decision":"refuse"}`, want: [5]int{unauth, notf, notf, notf, http.StatusNoContent}},
		{method: "POST", path: "/api/v1/spaces/academie-paris/requests/inconnu", pattern: "/api/v1/spaces/:id/requests/:user", json: `{"decision":"approve"}`, want: [5]int{unauth, notf, notf, notf, notf}},
		{method: "POST", path: "/communaute/academie-lyon/moderateurs", pattern: "/communaute/:space/moderateurs", form: url.Values{"email": {"personne@nulle.part"}, "action": {"ajouter"}}, want: [5]int{unauth, forb, forb, forb, unproc}},
		{method: "POST", path: "/communaute/academie-paris/moderateurs", pattern: "/communaute/:space/moderateurs", form: url.Values{"email": {"personne@nulle.part"}, "action": {"ajouter"}}, want: [5]int{unauth, notf, notf, notf, unproc}},
		{method: "GET", path: "/nulle-part", pattern: "-", want: anyone(notf)},
	}
}

// TestAuthorizationMatrix checks every route for every role, and that no
// route of the app is missing from the matrix.
func TestAuthorizationMatrix(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		rows := matrix()
		covered := map[string]bool{}
		for _, r := range rows {
			p := r.pattern
			if p == "" {
				p = r.path
			}
			covered[r.method+" "+p] = true
		}
		for _, rt := range env.App.Fiber().GetRoutes(true) {
			if rt.Method == "HEAD" || rt.Method == "USE" || rt.Path == "/" && rt.Method != "GET" {
				continue
			}
			if strings.HasPrefix(rt.Path, "/admin/queues") && rt.Method != "GET" && rt.Method != "POST" {
				continue // asynqmon's catch-all answers every method behind the same guard
			}
			if rt.Path == "/admin/queues" && rt.Method == "POST" {
				continue
			}
			if !covered[rt.Method+" "+rt.Path] {
				t.Errorf("route %s %s has no row in the authorization matrix", rt.Method, rt.Path)
			}
		}
		subst := strings.NewReplacer("{requester}", parisRequester(t, env).ID, "{requester2}", parisRequester(t, env).ID)
		for i := range rows {
			rows[i].path = subst.Replace(rows[i].path)
		}
		users := map[profile.Role]*profile.User{}
		clients := map[profile.Role]*http.Client{}
		tokens := map[profile.Role]string{}
		for _, r := range matrixRoles[1:] {
			users[r] = env.CreateUser(t, r)
			clients[r] = env.LoggedIn(t, users[r])
			tok, _, err := env.Sys.Profile.CreateToken(testenv.Ctx(t), users[r], "matrix")
			if err != nil {
				t.Fatal(err)
			}
			tokens[r] = tok
		}
		for _, row := range rows {
			for i, role := range matrixRoles {
				name := row.method + " " + row.path + " as " + string(role)
				if role == "" {
					name = row.method + " " + row.path + " as anonymous"
				}
				t.Run(name, func(t *testing.T) {
					c, token := env.Client(), ""
					if role != "" {
						c, token = clients[role], tokens[role]
						if row.fresh {
							u := env.CreateUser(t, role)
							c = env.LoggedIn(t, u)
							token, _, _ = env.Sys.Profile.CreateToken(testenv.Ctx(t), u, "fresh")
						}
					}
					got := do(t, env, c, token, row)
					if got != row.want[i] {
						t.Errorf("status %d, want %d", got, row.want[i])
					}
				})
			}
		}
	}, testenv.WithConfig(func(c *boot.Config) { c.OpsNetworks = nil })) // as in production: no operations network
}

// parisRequester is a Lyon teacher who moved to Paris and waits to join its spaces.
func parisRequester(t *testing.T, env *testenv.Env) *profile.User {
	t.Helper()
	u := env.CreateUser(t, profile.RoleLearner)
	if _, err := env.Sys.Profile.UpdateProfile(testenv.Ctx(t), u, profile.ProfileInput{Name: u.Name, Handle: u.Handle,
		Territory: profile.Territory{Academie: "paris", Departement: "75"}}); err != nil {
		t.Fatal(err)
	}
	return u
}

// do sends one matrix request: forms carry a valid CSRF token; API calls by
// a role use its bearer token.
func do(t *testing.T, env *testenv.Env, c *http.Client, token string, row route) int {
	t.Helper()
	var body io.Reader
	var req *http.Request
	var err error
	switch {
	case row.json != "":
		body = strings.NewReader(row.json)
	case row.method == "POST":
		form := url.Values{}
		for k, v := range row.form {
			form[k] = v
		}
		form.Set("_csrf", env.CSRF(t, c, "/"))
		body = strings.NewReader(form.Encode())
	}
	req, err = http.NewRequest(row.method, env.URL+row.path, body)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case row.json != "":
		req.Header.Set("Content-Type", "application/json")
	case row.method == "POST":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if strings.HasPrefix(row.path, "/api/") {
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		c = env.Client() // the API is called with the token alone
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
