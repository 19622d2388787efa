package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// ErrNotEmpty is returned when demo data would mix with the owner's own.
var ErrNotEmpty = errors.New("the database already holds contacts; demo data goes only into an empty one")

// demoPerson is one made-up customer of a small gift and coffee shop.
type demoPerson struct {
	given, family, org, title string
	stage                     model.Stage
	details                   [][2]string
	howWeMet                  string
}

func demoPeople() []demoPerson {
	c, p, k := model.StageClient, model.StageProspect, model.StageCustomer
	return []demoPerson{
		{"Maria", "Keller", "", "", c, [][2]string{{"Husband", "Tom, a carpenter"}, {"Daughter", "Maya, starts school in August"}, {"Coffee", "oat flat white"}}, "Walked in during the summer sale"},
		{"Jörg", "Müller", "Müller Bikes", "Owner", c, [][2]string{{"Dog", "Biscuit, a beagle"}, {"Likes", "vintage road bikes"}}, "Neighbouring shop"},
		{"Łukasz", "Nowak", "", "", k, [][2]string{{"Wife", "Agnieszka"}, {"Dislikes", "strong perfume"}}, "Came in with Jörg"},
		{"Olga", "Petrova", "", "", c, [][2]string{{"Son", "Sasha, plays the cello"}, {"Tea", "Earl Grey, no milk"}}, "Christmas market stall"},
		{"Zoe", "Papadopoulou", "Ζωή Design", "Designer", k, [][2]string{{"Favourite colour", "teal"}}, "Instagram"},
		{"Aisha", "Rahman", "", "", p, [][2]string{{"Looking for", "a present for her mother's 70th"}}, "Asked about gift wrapping"},
		{"Tom", "Becker", "", "", k, [][2]string{{"Partner", "Lena"}, {"Allergy", "nuts"}}, "Newsletter sign-up"},
		{"Sofia", "García", "Café Sol", "Manager", c, [][2]string{{"Kids", "Lucas (8) and Inés (5)"}, {"Holiday", "Andalusia every August"}}, "Supplier fair"},
		{"Henrik", "Lindqvist", "", "", p, [][2]string{{"Interested in", "handmade notebooks"}}, "Walked in"},
		{"Priya", "Sharma", "", "Dentist", k, [][2]string{{"Husband", "Ravi"}, {"Likes", "dark chocolate"}}, "Came in with Sofia"},
		{"Emma", "Schneider", "", "", c, [][2]string{{"Cat", "Mimi"}, {"Birthday gift idea", "lavender soap"}}, "Friend of Maria"},
		{"Noah", "Fischer", "Fischer & Sons", "Accountant", k, [][2]string{{"Plays", "tennis on Thursdays"}}, "Local business breakfast"},
		{"Chen", "Wei", "", "", p, [][2]string{{"Studying", "architecture"}}, "Walked in"},
		{"Lucía", "Fernández", "", "", c, [][2]string{{"Mother", "Carmen, loves orchids"}, {"Coffee", "cortado"}}, "Workshop on calligraphy"},
		{"Ahmed", "Hassan", "", "Pharmacist", k, [][2]string{{"Daughter", "Layla, getting married in June"}}, "Came in with Priya"},
		{"Anna", "Strauß", "", "", c, [][2]string{{"Grandchildren", "three, all under ten"}, {"Dislikes", "plastic packaging"}}, "Has come since the shop opened"},
		{"Ben", "Wagner", "", "", p, [][2]string{{"Looking for", "a wedding present"}}, "Phone enquiry"},
		{"Clara", "Hoffmann", "Hoffmann Florist", "Owner", c, [][2]string{{"Husband", "Markus"}, {"Favourite", "peonies"}}, "Neighbouring shop"},
		{"David", "Cohen", "", "", k, [][2]string{{"Son", "Eli, plays football"}}, "Newsletter"},
		{"Elif", "Yılmaz", "", "", k, [][2]string{{"Likes", "ceramics"}, {"Tea", "black, with sugar"}}, "Walked in"},
		{"Finn", "Schmidt", "", "Student", p, [][2]string{{"Budget", "careful, asks about discounts"}}, "Instagram"},
		{"Greta", "Nielsen", "", "", c, [][2]string{{"Wife", "Ida"}, {"Dog", "Otto, a dachshund"}}, "Christmas market stall"},
		{"Hugo", "Martin", "Martin Bakery", "Baker", k, [][2]string{{"Starts work", "at 4 a.m., visits after lunch"}}, "Neighbouring shop"},
		{"Ines", "Costa", "", "", p, [][2]string{{"Interested in", "scented candles"}}, "Walked in"},
		{"Jonas", "Weber", "", "", k, [][2]string{{"Daughter", "Pia, loves horses"}}, "Came in with Clara"},
		{"Katarzyna", "Kowalska", "", "", c, [][2]string{{"Husband", "Piotr"}, {"Favourite", "linen tea towels"}}, "Workshop on calligraphy"},
		{"Liam", "O'Brien", "", "Teacher", p, [][2]string{{"Class", "year 4, buys prizes for the class"}}, "School fair"},
		{"Mia", "Richter", "", "", k, [][2]string{{"Twins", "Leo and Lotta"}}, "Newsletter"},
		{"Nils", "Andersson", "", "", p, [][2]string{{"Likes", "woodwork"}}, "Walked in"},
		{"Oksana", "Shevchenko", "", "", k, [][2]string{{"Sister", "Iryna, lives in Kyiv"}}, "Came in with Olga"},
		{"Pablo", "Ruiz", "Ruiz Wines", "Sommelier", c, [][2]string{{"Wife", "Marta"}, {"Favourite", "Rioja"}}, "Supplier fair"},
		{"Rosa", "Lehmann", "", "", c, [][2]string{{"Knits", "scarves for the whole family"}, {"Coffee", "decaf cappuccino"}}, "Has come since the shop opened"},
		{"Sami", "Koskinen", "", "", p, [][2]string{{"Looking for", "a retirement gift for a colleague"}}, "Phone enquiry"},
		{"Tanja", "Krüger", "", "Nurse", k, [][2]string{{"Works", "night shifts, comes on Mondays"}}, "Walked in"},
		{"Umar", "Farooq", "", "", p, [][2]string{{"Interested in", "calligraphy pens"}}, "Workshop on calligraphy"},
		{"Vera", "Zimmermann", "", "", c, [][2]string{{"Husband", "Klaus, retired"}, {"Grandson", "Max, turns 5 in spring"}}, "Friend of Anna"},
		{"William", "Brown", "", "", k, [][2]string{{"Partner", "James"}, {"Likes", "gin and board games"}}, "Instagram"},
		{"Yuki", "Tanaka", "", "", p, [][2]string{{"Likes", "washi tape"}}, "Walked in"},
		{"Zofia", "Wiśniewska", "", "", k, [][2]string{{"Daughter", "Ola, studies in Kraków"}}, "Came in with Katarzyna"},
		{"Marek", "Dvořák", "Dvořák Music", "Piano teacher", c, [][2]string{{"Wife", "Jana"}, {"Plays", "piano at the church on Sundays"}}, "Neighbouring shop"},
	}
}

// DemoBatchName is the name Import History shows for the demo data.
const DemoBatchName = "Demo shop"

// Demo fills an empty database with a believable small shop: about forty
// people across the three stages with details, dates, journals, a few
// appointments and owed notes, so a newcomer sees a living app.
func (s *Service) Demo(ctx context.Context) (int, error) {
	n, err := s.store().CountContacts(ctx)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, ErrNotEmpty
	}
	currency, err := s.Currency(ctx)
	if err != nil {
		return 0, err
	}
	shop := demoShop{rng: rand.New(rand.NewPCG(7, 42)), now: s.now(), currency: currency}
	people := demoPeople()
	if err := s.store().InTx(ctx, func(tx *model.Store) error { return shop.write(ctx, tx, people) }); err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	return len(people), nil
}

// demoShop makes the demo's contacts; the random numbers are seeded, so
// every demo is the same shop.
type demoShop struct {
	rng      *rand.Rand
	now      time.Time
	currency string // what the demo's purchases are paid in: the Settings'
}

// What the demo's contacts live at, did and bought.
var (
	demoCities  = []string{"Berlin", "Hamburg", "München", "Köln", "Leipzig"}
	demoStreets = []string{"Hauptstraße", "Gartenweg", "Lindenallee", "Bahnhofstraße", "Schillerplatz"}
	// demoKinds is the journal of each stage, in the order it happened.
	demoKinds = map[model.Stage][]model.EntryKind{
		model.StageProspect: {model.KindMet, model.KindEmail},
		model.StageCustomer: {model.KindMet, model.KindPurchase, model.KindCall, model.KindNewsletter},
		model.StageClient:   {model.KindMet, model.KindPurchase, model.KindVisit, model.KindPurchase, model.KindExtra, model.KindArticle, model.KindSocial},
	}
	// demoTexts says what happened; %s is one of demoGoods.
	demoTexts = map[model.EntryKind]string{
		model.KindMet:        "First visit to the shop; looked around for a long time",
		model.KindPurchase:   "Bought %s",
		model.KindCall:       "Called to ask whether the %s is back in stock",
		model.KindVisit:      "Popped in to say hello, stayed for a coffee",
		model.KindEmail:      "Emailed photos of the %s",
		model.KindNewsletter: "Invited to the newsletter; said yes",
		model.KindExtra:      "Gave a small sample of %s as a thank-you",
		model.KindArticle:    "Shared an article about caring for %s",
		model.KindSocial:     "Connected on Instagram",
	}
	demoGoods = []string{"a linen tea towel", "two scented candles", "a handmade notebook", "a ceramic mug", "lavender soap", "a calligraphy set", "a wool scarf", "olive-wood spoons"}
)

// write creates people in one import batch, so that Import History takes
// the whole demo away, and links those who came in with someone.
func (d demoShop) write(ctx context.Context, tx *model.Store, people []demoPerson) error {
	batch, err := tx.StartBatch(ctx, DemoBatchName)
	if err != nil {
		return err
	}
	var changes []model.ImportChange
	byName := map[string]int64{}
	for i, p := range people {
		c := d.contact(i, p)
		if err := tidy(&c); err != nil {
			return err
		}
		if err := tx.CreateContact(ctx, &c); err != nil {
			return err
		}
		byName[p.given] = c.ID
		changes = append(changes, model.ImportChange{BatchID: batch.ID, ContactID: c.ID, Kind: "contact"})
	}
	for _, p := range people {
		ref, ok := strings.CutPrefix(p.howWeMet, "Came in with ")
		if refID, known := byName[ref]; ok && known {
			if err := tx.SetReferrer(ctx, byName[p.given], &refID); err != nil {
				return err
			}
		}
	}
	if err := tx.RecordChanges(ctx, changes); err != nil {
		return err
	}
	batch.Created = len(changes)
	return tx.SaveBatch(ctx, batch)
}

// contact is the i-th demo person with a phone, an email, an address, the
// details, dates, journal, appointments and notes owed.
func (d demoShop) contact(i int, p demoPerson) model.Contact {
	c := model.Contact{
		GivenName: p.given, FamilyName: p.family, Organization: p.org, Title: p.title,
		Stage: p.stage, HowWeMet: p.howWeMet,
		Phones: []model.Phone{{Label: "mobile", Number: fmt.Sprintf("+49 151 %04d %04d", 1000+i*37, 2000+i*91)}},
		Emails: []model.Email{{Label: "home", Address: strings.ToLower(model.Fold(p.given)) + "." +
			strings.ToLower(strings.ReplaceAll(model.Fold(p.family), "'", "")) + "@example.com"}},
		Addresses: []model.Address{{Label: "home", Street: fmt.Sprintf("%s %d", demoStreets[i%len(demoStreets)], 3+i),
			City: demoCities[i%len(demoCities)], PostalCode: fmt.Sprintf("%05d", 10115+i*211), Country: "Germany"}},
	}
	for j, detail := range p.details {
		c.Details = append(c.Details, model.Detail{Label: detail[0], Value: detail[1], Pinned: j == 0})
	}
	c.Dates = d.dates(i, p)
	d.addJournal(&c, p)
	d.addPlans(&c, i)
	return c
}

// dates spreads birthdays over the year, a few in the coming fortnight and
// some without a year, as customers tell them; some clients have an
// anniversary.
func (d demoShop) dates(i int, p demoPerson) []model.ImportantDate {
	bday := d.now.AddDate(0, 0, i*9-20)
	date := model.ImportantDate{Label: model.DateBirthday, Month: int(bday.Month()), Day: bday.Day()}
	if i%3 != 0 {
		y := 1950 + (i*7)%50
		date.Year = &y
	}
	dates := []model.ImportantDate{date}
	if p.stage == model.StageClient && i%2 == 0 {
		ann := d.now.AddDate(0, 1, i)
		y := 1990 + i%25
		dates = append(dates, model.ImportantDate{Label: model.DateAnniversary, Month: int(ann.Month()), Day: ann.Day(), Year: &y})
	}
	return dates
}

// addJournal gives c a journal of its stage that starts when they first
// came in.
func (d demoShop) addJournal(c *model.Contact, p demoPerson) {
	entries := demoKinds[p.stage]
	first := d.now.AddDate(0, 0, -(30 + d.rng.IntN(700)))
	step := d.now.Sub(first) / time.Duration(len(entries)+1)
	for j, k := range entries {
		at := first.Add(time.Duration(j) * step).Add(time.Duration(d.rng.IntN(8)) * time.Hour)
		text, good := demoTexts[k], ""
		if strings.Contains(text, "%s") {
			good = demoGoods[d.rng.IntN(len(demoGoods))]
			text = fmt.Sprintf(text, good)
		}
		e := model.JournalEntry{At: at, Kind: k, Text: text}
		if k == model.KindPurchase {
			// From 8.50 to 53.00 in steps of 0.50, taken from the time
			// rather than the random numbers, so that the rest of the
			// seeded shop stays as it was.
			amount := int64(850 + 50*(at.Hour()+at.Day()*3%67))
			e.Item, e.Amount, e.Currency = good, &amount, d.currency
		}
		c.Journal = append(c.Journal, e)
		if k == model.KindNewsletter {
			c.NewsletterConsent, c.NewsletterConsentDate = true, at.Local().Format(time.DateOnly)
		}
	}
	if p.stage != model.StageProspect {
		c.Journal = append(c.Journal, model.JournalEntry{At: first.Add(step / 2), Kind: model.KindStage,
			Text: "Stage changed from prospect to customer"})
	}
	if p.stage == model.StageClient {
		// After the second purchase (at 3 steps and up to 7 hours).
		c.Journal = append(c.Journal, model.JournalEntry{At: first.Add(3*step + 9*time.Hour), Kind: model.KindStage,
			Text: "Stage changed from customer to client"})
	}
}

// addPlans gives every fourth person an appointment to come and one past
// (on time, late or missed), and every fifth a thank-you note owed.
func (d demoShop) addPlans(c *model.Contact, i int) {
	now := d.now
	if i%4 == 0 {
		c.Appointments = append(c.Appointments, model.Appointment{
			Start: Day(now).AddDate(0, 0, 1+i%6).Add(time.Duration(10+i%7) * time.Hour), Minutes: 30,
			Purpose: "Gift consultation"})
		c.Appointments = append(c.Appointments, model.Appointment{
			Start: Day(now).AddDate(0, 0, -20-i).Add(11 * time.Hour), Minutes: 45,
			Purpose: "Calligraphy lesson", Outcome: []model.Outcome{model.OutcomeOnTime, model.OutcomeLate, model.OutcomeNoShow}[i%3], MinutesLate: (i % 3) * 10})
	}
	if i%5 == 1 {
		c.NotesOwed = append(c.NotesOwed, model.NoteReminder{
			Reason: "Thank-you note after the first purchase", Due: Day(now).AddDate(0, 0, i%7-3).Format(time.DateOnly), Status: "owed"})
	}
}

// DemoShop is Demo for the welcome screen: it also returns the undo that
// takes the whole demo away again, as Import History would.
func (s *Service) DemoShop(ctx context.Context) (int, Undo, error) {
	n, err := s.Demo(ctx)
	if err != nil {
		return 0, nil, err
	}
	batches, err := s.store().Batches(ctx)
	if err != nil {
		return 0, nil, err
	}
	for _, b := range batches {
		if b.File == DemoBatchName && b.UndoneAt == nil {
			id := b.ID
			return n, func(ctx context.Context) error { _, err := s.UndoImport(ctx, id); return err }, nil
		}
	}
	return 0, nil, fmt.Errorf("demo: its import batch is missing")
}
