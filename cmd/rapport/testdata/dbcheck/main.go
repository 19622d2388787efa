// Command dbcheck serves TestKillDuringImport: it opens a database read-only
// and prints, as JSON, SQLite's integrity_check verdict and every contact's
// name with its phone numbers (normalised) and emails. The test builds it
// without the race detector, which makes SQLite (C compiled to Go) ten
// times slower.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/rapportjournal/rapport/model"
)

type contact struct {
	Name   string   `json:"name"`
	Phones []string `json:"phones"`
	Emails []string `json:"emails"`
}

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "dbcheck:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	ctx := context.Background()
	st, err := model.OpenReadOnly(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	verdict, err := st.IntegrityCheck(ctx)
	if err != nil {
		return err
	}
	rows, err := st.ListContacts(ctx, "", 0)
	if err != nil {
		return err
	}
	// The import's match keys (key → contacts) give each contact's phones
	// and emails.
	keys, err := st.MatchKeys(ctx)
	if err != nil {
		return err
	}
	byID := make(map[int64]*contact, len(rows))
	out := struct {
		Integrity string     `json:"integrity"`
		Contacts  []*contact `json:"contacts"`
	}{Integrity: verdict}
	for _, r := range rows {
		c := &contact{Name: r.DisplayName}
		byID[r.ID] = c
		out.Contacts = append(out.Contacts, c)
	}
	for p, ids := range keys.Phones {
		for _, id := range ids {
			if c := byID[id]; c != nil {
				c.Phones = append(c.Phones, p)
			}
		}
	}
	for e, ids := range keys.Emails {
		for _, id := range ids {
			if c := byID[id]; c != nil {
				c.Emails = append(c.Emails, e)
			}
		}
	}
	for _, c := range out.Contacts {
		slices.Sort(c.Phones)
		slices.Sort(c.Emails)
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
