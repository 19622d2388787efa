// Package modeltest makes databases of realistic size for tests and
// benchmarks, as net/http/httptest does servers.
package modeltest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/pgtest"
)

// Contacts makes n contacts, each with a phone, an email, two details, a
// birthday and entries journal entries spread over the last three years.
// The same n and seed give the same contacts. Names are drawn from short
// lists, so that prefix searches hit realistic numbers of people (a given
// name is shared by about 1 in 60).
func Contacts(n, entries int, seed uint64) []*model.Contact {
	givenNames := []string{"Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Katarzyna", "Liam", "Maria", "Noah", "Olga", "Pablo", "Rosa", "Sami", "Tanja", "Umar", "Vera", "William", "Yuki", "Zofia", "Łukasz", "Jörg", "Сергей", "Ζωή", "Aisha", "Chen", "Emma", "Henrik", "Lucía", "Marek", "Nils", "Oksana", "Priya", "Sofia", "Tom", "Zoe", "Ahmed", "Ida", "Jana", "Klaus", "Lena", "Mia", "Otto", "Pia", "Ravi", "Sasha", "Theo", "Ulla", "Vince", "Wanda", "Xaver", "Yara", "Zeno", "Agnieszka", "Björn", "Carmen"}
	familyNames := []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Nowak", "Kowalski", "Петрова", "García", "Rossi", "Dubois", "Jensen", "O'Brien", "Tanaka", "Costa"}
	words := []string{"candles", "linen", "notebook", "mug", "soap", "scarf", "spoons", "teapot", "vase", "card", "ribbon", "basket", "blanket", "calligraphy", "ceramics", "walnut", "gift", "birthday", "wedding", "garden", "coffee", "daughter", "son", "holiday", "market", "workshop", "order", "delivery", "discount", "newsletter"}
	kinds := []model.EntryKind{model.KindMet, model.KindCall, model.KindVisit, model.KindPurchase, model.KindEmail, model.KindNewsletter, model.KindExtra}
	rng := rand.New(rand.NewPCG(seed, 1))
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	stages := model.Stages()
	out := make([]*model.Contact, n)
	for i := range out {
		given := givenNames[rng.IntN(len(givenNames))]
		family := familyNames[rng.IntN(len(familyNames))]
		c := &model.Contact{
			GivenName: given, FamilyName: family, DisplayName: given + " " + family,
			Stage:  stages[rng.IntN(len(stages))],
			Phones: []model.Phone{{Label: "mobile", Number: fmt.Sprintf("+49 151 %08d", i)}},
			Emails: []model.Email{{Label: "home", Address: fmt.Sprintf("person%d@example.com", i)}},
			Details: []model.Detail{
				{Label: "Likes", Value: words[rng.IntN(len(words))] + " and " + words[rng.IntN(len(words))], Pinned: true},
				{Label: "Child", Value: givenNames[rng.IntN(len(givenNames))]},
			},
			Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}},
		}
		for j := 0; j < entries; j++ {
			text := fmt.Sprintf("%s the %s, asked about the %s", words[rng.IntN(len(words))],
				words[rng.IntN(len(words))], words[rng.IntN(len(words))])
			c.Journal = append(c.Journal, model.JournalEntry{
				At:   now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour),
				Kind: kinds[rng.IntN(len(kinds))], Text: text,
			})
		}
		out[i] = c
	}
	return out
}

// WithAppointments gives each contact n appointments over the last two
// years, most kept, some late, a few missed or cancelled at short notice.
func WithAppointments(contacts []*model.Contact, n int, seed uint64) []*model.Contact {
	rng := rand.New(rand.NewPCG(seed, 2))
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	outcomes := []model.Outcome{"on_time", "on_time", "on_time", "on_time", "on_time", "on_time", "late", "late", "no_show", "cancelled", "excused", ""}
	for _, c := range contacts {
		for range n {
			start := now.Add(-time.Duration(rng.IntN(2*365*24)) * time.Hour).Truncate(time.Hour)
			a := model.Appointment{Start: start, Minutes: 30, Purpose: "fitting", Outcome: outcomes[rng.IntN(len(outcomes))]}
			switch a.Outcome {
			case "late":
				a.MinutesLate = 5 + rng.IntN(40)
			case "cancelled":
				at := start.Add(-time.Duration(rng.IntN(72)) * time.Hour)
				a.CancelledAt = &at
			}
			c.Appointments = append(c.Appointments, a)
		}
	}
	return contacts
}

// Fill adds contacts to the store in batches of one transaction each.
func Fill(ctx context.Context, s *model.Store, contacts []*model.Contact) error {
	const batch = 1000
	for start := 0; start < len(contacts); start += batch {
		if err := s.CreateContacts(ctx, contacts[start:min(start+batch, len(contacts))]); err != nil {
			return err
		}
	}
	return nil
}

// BackendEnv names the environment variable that picks the database the
// tests of other packages (app, ui) run against: "postgres" for a new
// database on the server pgtest.EnvVar names, anything else SQLite.
const BackendEnv = "RAPPORT_TEST_BACKEND"

// Postgres reports whether tests run against PostgreSQL (see BackendEnv).
func Postgres() bool { return os.Getenv(BackendEnv) == "postgres" }

// NewStore opens an empty store for tb, closed when tb ends: a SQLite file
// in a temporary folder, or a new PostgreSQL schema when BackendEnv says
// so (tb fails when pgtest.EnvVar names no server then: asking for
// PostgreSQL and silently getting SQLite would prove nothing).
func NewStore(tb testing.TB) *model.Store {
	tb.Helper()
	ctx := context.Background()
	var s *model.Store
	var err error
	if Postgres() {
		if pgtest.URL() == "" {
			tb.Fatalf("%s=postgres but %s is not set", BackendEnv, pgtest.EnvVar)
		}
		s, err = model.OpenPostgres(ctx, pgtest.NewSchema(tb), tb.TempDir())
	} else {
		s, err = model.Open(ctx, filepath.Join(tb.TempDir(), "rapport.db"))
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// OpenPostgres is OpenWith on PostgreSQL: a new database copied from a
// template seeded once per server. It skips tb without a server.
func OpenPostgres(tb testing.TB, n, entries, appts int) *model.Store {
	tb.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("rapport_seed_%d_%d_%d_%s", n, entries, appts, schemaKey(tb))
	dsn := pgtest.NewDatabaseFrom(tb, name, func(dsn string) error {
		s, err := model.OpenPostgres(ctx, dsn, tb.TempDir())
		if err != nil {
			return err
		}
		defer s.Close()
		return Fill(ctx, s, WithAppointments(Contacts(n, entries, 1), appts, 1))
	})
	s, err := model.OpenPostgres(ctx, dsn, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Open returns a store in a temporary folder holding n contacts with entries
// journal entries each. Large databases are made once and kept in the
// system's temporary folder (keyed by size and schema version), then copied,
// so benchmarks do not spend minutes filling them each run.
func Open(tb testing.TB, n, entries int) *model.Store { return OpenWith(tb, n, entries, 0) }

// OpenWith is Open with appts appointments per contact as well. With
// BackendEnv=postgres it is OpenPostgres.
func OpenWith(tb testing.TB, n, entries, appts int) *model.Store {
	tb.Helper()
	if Postgres() {
		return OpenPostgres(tb, n, entries, appts)
	}
	return openCached(tb, fmt.Sprintf("%d-%d-%d", n, entries, appts), func() []*model.Contact {
		return WithAppointments(Contacts(n, entries, 1), appts, 1)
	})
}

// OpenShop is OpenWith with a shop's history as well (see Shop): what the
// Insights counts. SQLite only.
func OpenShop(tb testing.TB, n, entries, appts int) *model.Store {
	tb.Helper()
	return openCached(tb, fmt.Sprintf("shop-%d-%d-%d", n, entries, appts), func() []*model.Contact {
		return Shop(WithAppointments(Contacts(n, entries, 1), appts, 1), 1)
	})
}

// Shop gives contacts a shop's history: how we met, a referrer among the
// first thousand for one in four (IDs are 1, 2, 3… in a new database), a
// day they were added in the last three years, the
// stage moves that led to their stage, amounts on the purchases, and
// feedback from one in fifty.
func Shop(contacts []*model.Contact, seed uint64) []*model.Contact {
	rng := rand.New(rand.NewPCG(seed, 3))
	ways := []string{"market", "walk-in", "instagram", "referral", "workshop", "newspaper", ""}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for i, c := range contacts {
		c.HowWeMet = ways[rng.IntN(len(ways))]
		c.CreatedAt = now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour)
		if i >= 1000 && rng.IntN(4) == 0 {
			id := int64(1 + rng.IntN(1000))
			c.ReferredByID = &id
		}
		move := func(from, to model.Stage) {
			c.Journal = append(c.Journal, model.JournalEntry{Kind: model.KindStage,
				At:   now.Add(-time.Duration(rng.IntN(2*365*24)) * time.Hour),
				Text: fmt.Sprintf("Stage changed from %s to %s", from, to)})
		}
		if c.Stage != model.StageProspect {
			move(model.StageProspect, model.StageCustomer)
		}
		if c.Stage == model.StageClient {
			move(model.StageCustomer, model.StageClient)
		}
		for j := range c.Journal {
			if e := &c.Journal[j]; e.Kind == model.KindPurchase {
				n := int64(100 + rng.IntN(20000))
				e.Amount, e.Currency, e.Item = &n, "EUR", "gift"
			}
		}
		if i%50 == 0 {
			c.Journal = append(c.Journal, model.JournalEntry{Kind: model.KindFeedback, At: now.AddDate(0, 0, -rng.IntN(300)),
				Text: "Mornings are hard", ChangeNote: "Offer afternoons"})
		}
	}
	return contacts
}

// openCached opens a copy of the database make's contacts fill, made once
// and kept in the system's temporary folder under key and the schema.
func openCached(tb testing.TB, key string, make func() []*model.Contact) *model.Store {
	tb.Helper()
	ctx := context.Background()
	cached := filepath.Join(os.TempDir(), fmt.Sprintf("rapport-modeltest-%s-%s.db", key, schemaKey(tb)))
	if _, err := os.Stat(cached); err != nil {
		start := time.Now()
		tmp := cached + fmt.Sprintf(".%d.tmp", os.Getpid())
		s, err := model.Open(ctx, tmp)
		if err != nil {
			tb.Fatal(err)
		}
		contacts := make()
		if err := Fill(ctx, s, contacts); err != nil {
			tb.Fatal(err)
		}
		compact, err := s.Backup(ctx, "seed") // VACUUM INTO: one file, no WAL
		if err != nil {
			tb.Fatal(err)
		}
		s.Close()
		if err := os.Rename(compact, cached); err != nil {
			tb.Fatal(err)
		}
		for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			os.Remove(f)
		}
		tb.Logf("made %s with %d contacts in %v", cached, len(contacts), time.Since(start).Round(time.Millisecond))
	}
	path := filepath.Join(tb.TempDir(), "rapport.db")
	if err := copyFile(cached, path); err != nil {
		tb.Fatal(err)
	}
	s, err := model.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// schemaKey names the schema a seeded database was made with, so that a
// copy cached by a build with another step of the same number is not used.
func schemaKey(tb testing.TB) string {
	tb.Helper()
	key, err := model.SchemaDigest(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return strings.ReplaceAll(key, "-", "_")
}
