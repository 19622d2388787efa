package model_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
	"github.com/rapportjournal/rapport/model/pgtest"
)

// TestSearchSameOnBothBackends fills SQLite and PostgreSQL with the same
// 3,000 contacts and asks both the same searches: every answer must be the
// same contacts, in the same order where the list sorts.
func TestSearchSameOnBothBackends(t *testing.T) {
	ctx := context.Background()
	lite := modeltest.NewStore(t)
	if lite.IsPostgres() {
		t.Skip("compares SQLite with PostgreSQL: run without " + modeltest.BackendEnv)
	}
	pg, err := model.OpenPostgres(ctx, pgtest.NewSchema(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	// One Fill each, from two copies: Fill sets the contacts' IDs, which
	// differ (PostgreSQL's sequence leaves gaps), so answers are compared
	// by which seeded contact they are.
	seeded := [2]map[int64]int{}
	for i, s := range []*model.Store{lite, pg} {
		cs := modeltest.Contacts(3000, 3, 7)
		cs[0].DisplayName, cs[1].DisplayName = "Ærø-Strauß O'Brien", "Ölaf Ünal"
		cs[2].Details[0].Value = "½ price x² café-au-lait"
		if err := modeltest.Fill(ctx, s, cs); err != nil {
			t.Fatal(err)
		}
		seeded[i] = map[int64]int{}
		for n, c := range cs {
			seeded[i][c.ID] = n
		}
	}
	which := func(i int, ids []int64) []int {
		out := make([]int, len(ids))
		for j, id := range ids {
			out[j] = seeded[i][id]
		}
		return out
	}
	queries := []string{"müll", "MÜLLER", "anna sch", "walnu", "walnut gift", "a", "ö", "o", "j", "Z", "сер", "петр",
		"ζω", "łuk", "lukasz", "o'brien", "obrien", "brien", "aero strauss", "strau", "person12@example",
		"example.com", "+49 151", "00000012", "151 00000", "likes", "child", "cafe", "au lait", "price x",
		"½", "x²", "xyzzy", "\"mul", "müll*", "a b", "-", "1"}
	findNothing := []string{"xyzzy", "-", "½", "obrien", "1"}
	for _, q := range queries {
		a, okA, errA := lite.MatchingContactIDs(ctx, q)
		b, okB, errB := pg.MatchingContactIDs(ctx, q)
		if errA != nil || errB != nil {
			t.Fatalf("%q: %v / %v", q, errA, errB)
		}
		ia, ib := which(0, a), which(1, b)
		slices.Sort(ia)
		slices.Sort(ib)
		if okA != okB || !slices.Equal(ia, ib) {
			t.Errorf("%q: SQLite %d matches (ok %v), PostgreSQL %d (ok %v)", q, len(a), okA, len(b), okB)
		}
		if len(a) == 0 && !slices.Contains(findNothing, q) {
			t.Errorf("%q finds nobody: the comparison proves little", q)
		}
		la, errA := lite.ListContacts(ctx, q, 50)
		lb, errB := pg.ListContacts(ctx, q, 50)
		if errA != nil || errB != nil {
			t.Fatalf("list %q: %v / %v", q, errA, errB)
		}
		if fmt.Sprint(listed(la, seeded[0])) != fmt.Sprint(listed(lb, seeded[1])) {
			t.Errorf("list %q:\nSQLite     %v\nPostgreSQL %v", q, listed(la, seeded[0]), listed(lb, seeded[1]))
		}
	}
}

// listed names the rows of a list by seeded contact and name.
func listed(rows []model.ContactRow, seeded map[int64]int) []string {
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprint(seeded[r.ID], " ", r.DisplayName))
	}
	return out
}
