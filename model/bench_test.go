package model_test

import (
	"context"
	"testing"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// open50k opens a copy of the seeded 50,000-contact database of a backend.
func open50k(b *testing.B, backend string) *model.Store {
	if backend == "postgres" {
		return modeltest.OpenPostgres(b, 50_000, 5, 0)
	}
	return modeltest.Open(b, 50_000, 5)
}

// BenchmarkMatch50k measures the full-text lookup alone over 50,000 contacts
// with 5 journal entries each, on SQLite (FTS5) and PostgreSQL (tsvector,
// GIN; skipped without RAPPORT_TEST_POSTGRES).
func BenchmarkMatch50k(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			s := open50k(b, backend)
			ctx := context.Background()
			for _, q := range []string{"müll", "anna sch", "walnu", "a"} {
				b.Run(q, func(b *testing.B) {
					var n int
					for b.Loop() {
						ids, _, err := s.MatchingContactIDs(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						n = len(ids)
					}
					b.ReportMetric(float64(n), "matches")
				})
			}
		})
	}
}

// BenchmarkCreateContact measures saving one new contact with its phone,
// email, details, birthday, 5 journal entries and search entry, as the
// editor does, into a database of 50,000.
func BenchmarkCreateContact(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			s := open50k(b, backend)
			ctx := context.Background()
			contacts := modeltest.Contacts(b.N, 5, 2)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.CreateContact(ctx, contacts[i]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
