package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/assessments"
	"ardoise/internal/boot"
	"ardoise/internal/embedded"
)

// runCalibration measures the weekly calibration (assessments'
// CalibratePretest: the scan of every stored answer, the items report, ρ
// learned on a sample) on a store prefilled with size answers: tests of 32
// answers over the shipped CRCN bank by people of a higher-order model
// (ρ 0.7), each answer carrying its competence's ability as a finished
// test's archive writes it.
//
//	go run ./cmd/loadgen --scenario calibration --backend postgres --sizes 100000,1000000
func runCalibration(backend string, sizes []int) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, stop, err := startStore(backend, logger)
	if err != nil {
		fail("%v", err)
	}
	defer stop()
	for _, size := range sizes {
		if err := calibrationSize(store, size, logger); err != nil {
			fail("size %d: %v", size, err)
		}
	}
}

func calibrationSize(store *embedded.Store, size int, logger *slog.Logger) error {
	dbName := fmt.Sprintf("calib%d%d", size, time.Now().UnixNano()%1e9)
	ctx := context.Background()
	sys, closeSys, err := openSystem(ctx, store, dbName, logger)
	if err != nil {
		return err
	}
	defer closeSys()
	t0 := time.Now()
	if err := prefillResponses(ctx, sys, size); err != nil {
		return err
	}
	prefill := time.Since(t0)
	t1 := time.Now()
	rep, err := sys.Assessments.CalibratePretest(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("calibration: %d answers (%d tests) prefilled in %s; weekly calibration %s: %d challenges reported, rho %.3f ± %.3f, params %s\n",
		size, size/32, prefill.Round(time.Second), time.Since(t1).Round(100*time.Millisecond), len(rep.Items), rep.Rho, rep.RhoSE, rep.ParamsVersion)
	return nil
}

// prefillResponses writes size answers in batches of 1,000.
func prefillResponses(ctx context.Context, sys *boot.System, size int) error {
	crcn, _ := sys.Assessments.Bank().Framework("crcn")
	byComp := map[string][]*assessments.Challenge{}
	for _, c := range crcn.Challenges {
		byComp[c.Competence] = append(byComp[c.Competence], c)
	}
	coll := sys.DB.Collection(assessments.ResponsesCollection)
	r := rand.New(rand.NewPCG(1, 2))
	const rho = 0.7
	batch := make([]any, 0, 1000)
	at := time.Now().UTC()
	for n, p := 0, 0; n < size; p++ {
		theta := r.NormFloat64()
		test := "lg" + strconv.Itoa(p)
		for k, comp := range crcn.Competences {
			tc := rho*theta + math.Sqrt(1-rho*rho)*r.NormFloat64()
			items := byComp[comp.ID]
			for j, i := range r.Perm(len(items))[:2] {
				if n == size {
					break
				}
				c := items[i]
				// The fields the archive writes (assessments' response).
				batch = append(batch, bson.M{"_id": test + ":" + strconv.Itoa(2*k+j), "testId": test, "challengeId": c.ID,
					"correct": r.Float64() < 1/(1+math.Exp(-c.A*(tc-c.B))), "at": at, "theta": tc + 0.5*r.NormFloat64(), "se": 0.5})
				n++
				if len(batch) == cap(batch) {
					if _, err := coll.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false)); err != nil {
						return err
					}
					batch = batch[:0]
				}
			}
		}
	}
	if len(batch) > 0 {
		_, err := coll.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false))
		return err
	}
	return nil
}
