package app

import (
	"context"
	"fmt"
	"io"

	"github.com/rapportjournal/rapport/app/vcardmap"
	"github.com/rapportjournal/rapport/app/vcf"
	"github.com/rapportjournal/rapport/model"
)

// cardRules lend the vCard mapping the rules a contact's text follows here.
func cardRules() vcardmap.Rules {
	return vcardmap.Rules{OneLine: OneLine, Capitalize: Capitalize, DisplayName: DisplayName}
}

// ExportVCards writes every contact as vCard 3.0 (what iOS and Google read):
// UTF-8, CR LF, folded at 75 octets, with photos, labels and the properties
// kept from imported cards. What vCard has no property for (stage, how we
// met, details, journal) goes in X-RAPPORT-* properties, so that importing
// the export into an empty database gives the same contacts.
func (s *Service) ExportVCards(ctx context.Context, w io.Writer) error {
	vw := vcf.NewWriter(w)
	rules := cardRules()
	err := s.store().EachContact(ctx, func(c *model.Contact) error {
		rules.WriteCard(vw, c, true)
		return nil
	})
	if err != nil {
		return fmt.Errorf("export vCards: %w", err)
	}
	return vw.Flush()
}
