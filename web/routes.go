package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// routes lists every route, grouped by domain, top to bottom.
func (a *App) routes() {
	r := a.fiber
	r.Use(a.observe, a.securityHeaders, limitBody)

	// Operations and assets: no session, no store work beyond what they check.
	r.Get("/healthz", a.healthz)
	r.Get("/static/:file", a.static)
	r.Get("/contenu/images/:file", a.contentImage)

	r.Use(a.identify, a.checkCSRF)
	// Operations that tell more to operators (an admin, or ARDOISE_OPS_NETWORKS).
	r.Get("/readyz", a.readyz)
	r.Get("/metrics", a.metrics)
	r.Get("/", a.home)
	r.Post("/langue", a.setLanguage)

	// Accounts.
	r.Get("/inscription", a.registerForm)
	r.Post("/inscription", a.register)
	r.Get("/connexion", a.loginForm)
	r.Post("/connexion", a.login)
	r.Post("/deconnexion", a.logout)
	r.Get("/verifier-email", a.verifyEmail)
	r.Post("/verifier-email/renvoyer", requireUser, a.resendVerification)
	r.Get("/mot-de-passe/oubli", a.forgotForm)
	r.Post("/mot-de-passe/oubli", a.forgot)
	r.Get("/mot-de-passe/nouveau", a.resetForm)
	r.Post("/mot-de-passe/nouveau", a.reset)

	// Profile.
	me := r.Group("/profil", requireUser)
	me.Get("/", a.profileShow)
	me.Get("/modifier", a.profileEditForm)
	me.Post("/modifier", a.profileEdit)
	me.Post("/mot-de-passe", a.passwordChange)
	me.Post("/jetons", a.tokenCreate)
	me.Post("/jetons/:id/revoquer", a.tokenRevoke)
	me.Post("/deconnecter-partout", a.logoutEverywhere)
	me.Get("/donnees", a.dataExport)
	me.Get("/supprimer", a.deleteForm)
	me.Post("/supprimer", a.deleteAccount)
	me.Get("/attestations/:id.pdf", a.attestationPDF)
	me.Get("/attestations/:id.jwt", a.credentialDownload)
	me.Get("/attestations/:id.json", a.credentialJSON)
	me.Post("/courriels-communaute", a.communityDigest)

	// Positioning tests: anonymous visitors may take them (a cookie holds them).
	r.Get("/positionnement", a.assessHome)
	r.Post("/positionnement", a.assessStart)
	r.Get("/positionnement/:id", a.assessShow)
	r.Post("/positionnement/:id/reponse", a.assessAnswer)
	r.Post("/positionnement/:id/focus", a.assessFocus)
	r.Get("/positionnement/:id/resultat", a.assessResult)
	r.Get("/resultat/:token", a.assessPrivateResult)

	// Campaigns, the participant's side: join by code, then share a result.
	// The candidate's certification pages (JavaScript needed).
	r.Get("/certification", requireUser, a.certificationCheckInForm)
	r.Post("/certification", requireUser, a.certificationCheckIn)
	r.Get("/certification/candidat/:handle", requireUser, a.certificationCandidate)
	r.Post("/certification/candidat/:handle/code", requireUser, a.certificationStart)
	r.Get("/certification/test/:id", requireUser, a.certificationTest)
	// The référents' pages: their centres, sessions and candidates lists.
	r.Get("/certification/centre", requireUser, a.certificationDesk)
	r.Post("/certification/centre/sessions", requireUser, a.certificationSessionCreate)
	r.Get("/certification/centre/sessions/:id", requireUser, a.certificationSessionPage)
	r.Post("/certification/centre/sessions/:id/candidats", requireUser, a.certificationImport)
	r.Post("/certification/centre/sessions/:id/candidat", requireUser, a.certificationAddCandidate)
	r.Post("/certification/centre/sessions/:id/finaliser", requireUser, a.certificationFinalize)
	// The invigilator's pages: a supervision token in a cookie, no account.
	r.Get("/surveillance", a.supervisionForm)
	r.Post("/surveillance", a.supervisionLogin)
	r.Get("/surveillance/session", a.supervisionBoard)
	r.Post("/surveillance/ouvrir", a.supervisionAction(a.supervisionOpen))
	r.Post("/surveillance/candidats/:id/presence", a.supervisionAction(a.supervisionConfirm))
	r.Post("/surveillance/candidats/:id/fin", a.supervisionAction(a.supervisionEnd))
	r.Post("/surveillance/alertes/:id", a.supervisionAction(a.supervisionDecide))
	r.Post("/surveillance/quitter", a.supervisionQuit)
	r.Get("/campagne", a.campaignJoinForm) // signed in or not: a visitor gets a sign-in link back here
	r.Post("/campagne", a.campaignJoin)
	r.Post("/campagne/participations/:id/envoi", requireUser, a.campaignShare)

	// Learning: anyone may browse; following a module needs an account.
	r.Get("/modules", a.learnCatalogue)
	r.Get("/modules/:slug", a.learnModule)
	r.Post("/modules/:slug/inscription", requireUser, a.learnEnrol)
	r.Post("/modules/:slug/version", requireUser, a.learnMove)
	r.Post("/modules/:slug/terminer", requireUser, a.learnFinish)
	r.Get("/modules/:slug/pages/:page", requireUser, a.learnPage)
	r.Post("/modules/:slug/pages/:page/quiz/:quiz", requireUser, a.learnAnswer)
	r.Post("/modules/:slug/pages/:page/activite", requireUser, a.learnBeat)

	// Public verification of attestations (rate-limited).
	r.Get("/verifier", a.verifyForm)
	r.Get("/verifier/:code", a.verifyShow)
	// Open Badges 3.0: the issuer's keys and Profile, and the status lists.
	r.Get("/.well-known/jwks.json", a.jwks)
	r.Get("/credentials/issuer", a.credentialIssuer)
	r.Get("/credentials/status/:list", a.credentialStatus)

	// Communities: every page needs an account; members-only spaces answer
	// 404 to outsiders.
	r.Get("/communaute/images/:file", a.communityImage)
	r.Get("/communaute/desabonnement", a.communityUnsubscribe) // the emails' one-click link: no login, a signature
	r.Get("/membres/:handle", requireUser, a.communityCard)
	com := r.Group("/communaute", requireUser)
	com.Get("/", a.communityHome)
	com.Get("/notifications", a.communityNotifications)
	com.Post("/notifications/lues", a.communityMarkRead)
	com.Post("/abonnement", a.communitySubscribe)
	com.Get("/moi", a.communityMine)
	com.Post("/images", a.communityUpload)
	com.Post("/espaces", a.communityCreateSpace)
	com.Get("/recherche", a.communitySearch)
	com.Get("/fils/:thread", a.communityThread)
	com.Post("/fils/:thread/reponses", a.communityReply)
	com.Post("/fils/:thread/moderation", a.communityThreadModerate)
	com.Get("/messages/:post/modifier", a.communityEdit)
	com.Post("/messages/:post/modifier", a.communityEdit)
	com.Post("/messages/:post/supprimer", a.communityPostAction("delete"))
	com.Post("/messages/:post/accepter", a.communityPostAction("accept"))
	com.Post("/messages/:post/signaler", a.communityPostAction("flag"))
	com.Post("/messages/:post/masquer", a.communityPostAction("hide"))
	com.Post("/messages/:post/retablir", a.communityPostAction("restore"))
	com.Post("/messages/:post/reaction", a.communityPostAction("react"))
	com.Get("/:space", a.communitySpace)
	com.Post("/:space/fils", a.communityNewThread)
	com.Get("/:space/signalements", a.communityFlags)
	com.Post("/:space/silence", a.communitySilence)
	com.Post("/:space/membres", a.communityAddMember)
	com.Get("/:space/demandes", a.communityRequests)
	com.Post("/:space/demandes/:user", a.communityResolveRequest)
	com.Post("/:space/moderateurs", a.communitySetModerator)

	// Training hours: inspectors of the territory review and export.
	inspect := r.Group("/inspection", requireRole(profile.RoleInspector))
	inspect.Get("/heures", a.inspectHours)
	inspect.Post("/heures", a.inspectReview)
	inspect.Post("/heures/export", a.inspectExport)
	r.Get("/suivi/territoire", requireRole(profile.RoleInspector), a.territoryDashboard)
	r.Get("/suivi/certification", requireRole(profile.RoleInspector), a.inspectCertification)
	r.Get("/suivi/certification/export.csv", requireRole(profile.RoleInspector), a.inspectCertificationExport)

	// Campaigns: their organisers (trainers, inspectors with a scope) create and follow them.
	r.Get("/suivi/campagnes", requireOrganiser, a.organiseCampaigns)
	r.Post("/suivi/campagnes", requireOrganiser, a.organiseCreate)
	r.Get("/suivi/campagnes/:id", requireOrganiser, a.organiseDashboard)
	r.Get("/suivi/campagnes/:id/export.csv", requireOrganiser, a.organiseExport)

	// Authoring.
	trainer := r.Group("/formation", requireRole(profile.RoleTrainer))
	trainer.Get("/modules", a.trainerModules)
	trainer.Post("/modules/import", a.trainerModuleImport)
	trainer.Post("/modules/:slug/publier", a.trainerModulePublish)
	trainer.Get("/modules/:slug/versions", a.trainerVersions)
	trainer.Post("/modules/:slug/restaurer/:n", a.trainerRollback)
	trainer.Get("/modules/:slug/fichiers/:file", a.trainerPageEdit)
	trainer.Post("/modules/:slug/fichiers/:file", a.trainerPageEdit)
	trainer.Post("/modules/:slug/coproprietaires", a.trainerCoOwner)
	trainer.Get("/sessions", a.trainerSessions)
	trainer.Post("/sessions", a.trainerSessionCreate)
	trainer.Get("/sessions/:id", a.trainerSession)
	trainer.Post("/sessions/:id/participants", a.trainerSessionAdd)
	trainer.Post("/sessions/:id/presence", a.trainerSessionAttendance)
	trainer.Post("/sessions/:id/cloturer", a.trainerSessionClose)

	// Administration.
	admin := r.Group("/admin", requireRole(profile.RoleAdmin))
	admin.Get("/utilisateurs", a.adminUsers)
	admin.Post("/utilisateurs/:id/role", a.adminSetRole)
	admin.Post("/utilisateurs/:id/suspension", a.adminSuspend)
	admin.Post("/utilisateurs/:id/perimetre", a.adminSetScope)
	admin.Get("/journal", a.adminAudit)
	admin.Get("/mails", a.adminMails)
	admin.Get("/moderation", a.adminModeration)
	admin.Get("/questions", a.adminItems)
	admin.Get("/attestations", a.adminCertificates)
	admin.Post("/attestations/:id/revoquer", a.adminCertState(true))
	admin.Post("/attestations/:id/retablir", a.adminCertState(false))
	admin.Get("/centres", a.adminCentres)
	admin.Post("/centres", a.adminCentreCreate)
	admin.Get("/jury", a.adminJuryQueue)
	admin.Get("/jury/:id", a.adminJurySession)
	admin.Post("/jury/:id/tests/:test", a.adminJuryDecide)
	admin.Post("/jury/:id/tests/:test/revoquer", a.adminJuryRevoke)
	admin.Post("/jury/:id/publier", a.adminJuryPublish)
	queues := a.adminQueues() // one asynqmon for both paths
	admin.All("/queues", queues)
	admin.All("/queues/*", queues)

	// JSON API.
	api := r.Group("/api/v1")
	api.Post("/auth/register", a.apiRegister)
	api.Post("/auth/token", a.apiToken)
	api.Delete("/auth/token", requireUser, a.apiRevokeToken)
	api.Get("/me", requireUser, a.apiMe)
	api.Get("/frameworks", a.apiFrameworks)
	api.Post("/assessments", requireUser, a.apiAssessStart)
	api.Get("/assessments/:id", requireUser, a.apiAssessGet)
	api.Post("/assessments/:id/answers", requireUser, a.apiAssessAnswer)
	api.Get("/modules", a.apiModules)
	api.Post("/modules/import", requireRole(profile.RoleTrainer), a.apiModuleImport)
	api.Get("/modules/:slug", a.apiModule)
	api.Post("/modules/:slug/publish", requireRole(profile.RoleTrainer), a.apiModulePublish)
	api.Post("/modules/:slug/enrolment", requireUser, a.apiEnrol)
	api.Get("/enrolments", requireUser, a.apiEnrolments)
	api.Post("/enrolments/:slug/views", requireUser, a.apiView)
	api.Post("/enrolments/:slug/heartbeats", requireUser, a.apiBeat)
	api.Post("/enrolments/:slug/answers", requireUser, a.apiAnswerQuiz)
	api.Post("/enrolments/:slug/finish", requireUser, a.apiFinish)
	api.Post("/enrolments/:slug/move", requireUser, a.apiMove)
	api.Get("/hours", requireUser, a.apiHours)
	api.Get("/certificates", requireUser, a.apiMyCertificates)
	api.Post("/campaigns", requireUser, a.apiCampaignCreate)
	api.Get("/campaigns", requireUser, a.apiCampaigns)
	api.Post("/campaigns/join", requireUser, a.apiCampaignJoin)
	api.Get("/campaigns/:id", requireUser, a.apiCampaign)
	api.Get("/campaigns/:id/results", requireUser, a.apiCampaignResults)
	api.Post("/participations/:id/share", requireUser, a.apiParticipationShare)
	api.Post("/certification/centres", requireUser, a.apiCertificationCentreCreate)
	api.Post("/certification/sessions", requireUser, a.apiCertificationSessionCreate)
	api.Get("/certification/sessions/:id", requireUser, a.apiCertificationSession)
	api.Post("/certification/sessions/:id/candidates", requireUser, a.apiCertificationCandidates)
	api.Get("/certificates/:id/credential", requireUser, a.apiCredential)
	api.Get("/certificates/:code", a.apiVerify)
	api.Get("/spaces", requireUser, a.apiSpaces)
	api.Get("/spaces/:id/threads", requireUser, a.apiThreads)
	api.Post("/spaces/:id/threads", requireUser, a.apiNewThread)
	api.Get("/threads/:id", requireUser, a.apiThread)
	api.Post("/threads/:id/posts", requireUser, a.apiReply)
	api.Patch("/posts/:id", requireUser, a.apiEditPost)
	api.Post("/posts/:id/accept", requireUser, a.apiAccept)
	api.Post("/posts/:id/flags", requireUser, a.apiFlag)
	api.Post("/posts/:id/hide", requireUser, a.apiHide)
	api.Post("/posts/:id/reactions", requireUser, a.apiReact)
	api.Get("/spaces/:id/requests", requireUser, a.apiAcademieRequests)
	api.Post("/spaces/:id/requests/:user", requireUser, a.apiResolveAcademieRequest)
	api.Get("/search", requireUser, a.apiSearch)
	api.Get("/notifications", requireUser, a.apiNotifications)
	api.Post("/images", requireUser, a.communityUpload)
	api.Get("/inspection/hours", requireRole(profile.RoleInspector), a.apiInspectLines)
	api.Post("/inspection/hours/review", requireRole(profile.RoleInspector), a.apiInspectReview)
	api.Post("/inspection/hours/export", requireRole(profile.RoleInspector), a.apiInspectExport)
	api.Get("/territory/dashboard", requireRole(profile.RoleInspector), a.apiTerritoryDashboard)
	// Certification, on the day: the invigilator's routes take a
	// supervision token; the candidate's an account and a device token.
	api.Post("/certification/supervision", a.apiSupervise)
	api.Post("/certification/supervision/open", a.apiSupervisionOpen)
	api.Get("/certification/supervision", a.apiSupervisionBoard)
	api.Post("/certification/supervision/candidates/:id/confirm", a.apiSupervisionConfirm)
	api.Post("/certification/supervision/alerts/:id", a.apiSupervisionAlert)
	api.Post("/certification/supervision/candidates/:id/end", a.apiSupervisionEnd)
	api.Post("/certification/checkin", requireUser, a.apiCheckIn)
	api.Get("/certification/candidates/:id", requireUser, a.apiCandidate)
	api.Post("/certification/start", requireUser, a.apiCertificationStart)
	api.Get("/certifications/:id", requireUser, a.apiCertificationGet)
	api.Post("/certifications/:id/answers", requireUser, a.apiCertificationAnswer)
	api.Post("/certifications/:id/alerts", requireUser, a.apiCertificationAlert)
	api.Post("/certifications/:id/focus", requireUser, a.apiCertificationFocus)
	// Certification, after the session: the référent finalizes, the jury
	// (an admin apart from the centre) decides and publishes, the
	// candidate reads their published results.
	api.Post("/certification/sessions/:id/finalize", requireUser, a.apiFinalize)
	api.Get("/certification/sessions/:id/jury", requireRole(profile.RoleAdmin), a.apiJury)
	api.Post("/certification/sessions/:id/publish", requireRole(profile.RoleAdmin), a.apiPublish)
	api.Get("/certifications", requireUser, a.apiCertificationResults)
	api.Post("/certifications/:id/jury", requireRole(profile.RoleAdmin), a.apiJuryDecide)
	api.Post("/certifications/:id/revoke", requireRole(profile.RoleAdmin), a.apiCertificationRevoke)

	r.Use(func(c *fiber.Ctx) error {
		return fmt.Errorf("web: no route for %s %s: %w", c.Method(), c.Path(), errkind.ErrNotFound)
	})
}
