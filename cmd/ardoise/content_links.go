package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"ardoise/assessments"
)

// checkLinks fetches every tutorial and source URL of the bank once with
// client (nil: a client with the given timeout) and prints those that do
// not answer 2xx (after redirects), with the challenges that cite them.
func checkLinks(ctx context.Context, bank *assessments.Bank, client *http.Client, timeout time.Duration, stdout, stderr io.Writer) error {
	cited := map[string][]string{}
	for _, f := range bank.Frameworks {
		for _, c := range f.Challenges {
			cited[c.Tutorial.URL] = append(cited[c.Tutorial.URL], c.ID)
			if u := c.Review.Source; strings.HasPrefix(u, "https://") {
				cited[u] = append(cited[u], c.ID)
			}
		}
	}
	urls := make([]string, 0, len(cited))
	for u := range cited {
		if u != "" {
			urls = append(urls, u)
		}
	}
	sort.Strings(urls)
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	bad := 0
	for _, u := range urls {
		if err := fetchOK(ctx, client, u); err != nil {
			bad++
			fmt.Fprintf(stdout, "%s: %v (cited by %v)\n", u, err, cited[u])
		}
	}
	fmt.Fprintf(stderr, "content links: %d URLs, %d failing\n", len(urls), bad)
	if bad > 0 {
		return fmt.Errorf("content links: %d of %d URLs failing", bad, len(urls))
	}
	return nil
}

func fetchOK(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "ardoise-content-links/1")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}
