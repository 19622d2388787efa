package app

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rapportjournal/rapport/model"
)

// person is a name as an import compares it: folded given names, family
// name and nickname. A couple sharing a landline share its number but not
// a name, so a phone or email merges a card into a contact only when their
// names agree (see nameAgreement).
type person struct {
	given  string // the first given name, folded: "peter", "p" for "P."
	family string // folded, "" when not known
	nick   string // the contact's own nickname, folded
	single bool   // one word with nothing to say whether given or family name
}

// nameOf is the name fields of a contact, as the matcher keeps them.
func nameOf(c *model.Contact) model.PersonName {
	return model.PersonName{Given: c.GivenName, Family: c.FamilyName, Display: c.DisplayName,
		Nickname: c.Nickname, Organization: c.Organization}
}

// personOf reads a person's name from a contact's name fields; ok is false
// for a contact called by no person's name: an organisation, a number or an
// address alone.
func personOf(n model.PersonName) (p person, ok bool) {
	p.nick = firstWord(n.Nickname)
	given, family := strings.TrimSpace(n.Given), strings.TrimSpace(n.Family)
	if given == "" && family == "" {
		display := strings.TrimSpace(n.Display)
		switch {
		case display == "", model.Fold(display) == model.Fold(strings.TrimSpace(n.Organization)), !hasLetter(display),
			strings.Contains(display, "@") && !strings.Contains(display, " "):
			if p.nick == "" {
				return person{}, false
			}
			return person{given: p.nick, nick: p.nick, single: true}, true
		case strings.Contains(display, ","): // "Schmidt, Anna"
			family, given, _ = strings.Cut(display, ",")
		default:
			words := strings.Fields(display)
			if len(words) == 1 {
				return person{given: firstWord(words[0]), nick: p.nick, single: true}, true
			}
			given, family = strings.Join(words[:len(words)-1], " "), words[len(words)-1]
		}
	}
	p.given = firstWord(given)
	p.family = strings.Join(nameWords(family), " ")
	if p.given == "" && p.family == "" {
		return p, p.nick != ""
	}
	return p, true
}

// How well two names agree, best first; noAgreement means two people.
const (
	noAgreement = iota
	nameless    // one side has no person's name
	initialOf   // "P. Schmidt" and "Peter Schmidt"
	nicknameOf  // "Pete" or "Bill" and "Peter" or "William", "Alex" and "Alexander"
	sameName    // equal after folding case and accents
)

// nameAgreement says whether a card and a contact that share a phone or an
// email are one person by their names, and how surely.
func nameAgreement(a, b model.PersonName) int {
	pa, okA := personOf(a)
	pb, okB := personOf(b)
	if !okA || !okB {
		return unnamedAgreement(a, b, okA, okB)
	}
	if pa.single || pb.single {
		if pb.single {
			pa, pb = pb, pa
		}
		// One word: a given name, nickname or family name of the other.
		if pb.family != "" && pa.given == pb.family {
			return initialOf // a family name alone: no given name to tell them apart
		}
		return givenAgreement(pa, pb)
	}
	if pa.family != "" && pb.family != "" && pa.family != pb.family {
		if !isInitial(pa.family, pb.family) && !isInitial(pb.family, pa.family) {
			return noAgreement
		}
		if pa.given == "" || pb.given == "" {
			return noAgreement // "M." against "Müller" with no given name to go by
		}
		return min(givenAgreement(pa, pb), initialOf)
	}
	if pa.given == "" || pb.given == "" {
		// A family name alone, the same: no given name to tell them apart.
		if pa.family != "" && pa.family == pb.family {
			return initialOf
		}
		return noAgreement
	}
	return givenAgreement(pa, pb)
}

// unnamedAgreement is nameAgreement where a side has no person's name. A
// side called by nothing at all (a number, an email address) is the other
// one. An organisation is a name too: the bakery's card is not Anna
// Schmidt, who shares its number, so they are two contacts, linked, and the
// owner may merge them; two cards of one organisation agree.
func unnamedAgreement(a, b model.PersonName, personA, personB bool) int {
	orgA, orgB := "", ""
	if !personA {
		orgA = calledBy(a)
	}
	if !personB {
		orgB = calledBy(b)
	}
	switch {
	case orgA == "" && orgB == "":
		return nameless
	case personA || personB:
		return noAgreement // an organisation against a person
	case orgA == "" || orgB == "":
		return nameless
	case orgA == orgB:
		return sameName
	}
	return noAgreement
}

// calledBy is the folded organisation or other name of a contact without a
// person's name, "" when it is called by nothing but a number or address.
func calledBy(n model.PersonName) string {
	if org := strings.TrimSpace(n.Organization); org != "" {
		return model.Fold(org)
	}
	display := strings.TrimSpace(n.Display)
	if !hasLetter(display) || strings.Contains(display, "@") && !strings.Contains(display, " ") {
		return ""
	}
	return model.Fold(display)
}

// givenAgreement compares two given names, each side's own nickname
// counting as one of its names.
func givenAgreement(a, b person) int {
	best := noAgreement
	for _, x := range []string{a.given, a.nick} {
		for _, y := range []string{b.given, b.nick} {
			if x == "" || y == "" {
				continue
			}
			switch {
			case x == y && x == a.given && y == b.given:
				return sameName
			case x == y, nicknames(x, y), isPrefixName(x, y), isPrefixName(y, x):
				best = max(best, nicknameOf)
			case isInitial(x, y), isInitial(y, x):
				best = max(best, initialOf)
			}
		}
	}
	return best
}

// isInitial reports whether short is the initial of long ("p" of "peter").
func isInitial(short, long string) bool {
	return utf8.RuneCountInString(short) == 1 && utf8.RuneCountInString(long) > 1 && strings.HasPrefix(long, short)
}

// isPrefixName reports whether short is long cut short, as Alex is of
// Alexander: three letters at least, so "Jo" is nobody's short form.
func isPrefixName(short, long string) bool {
	return utf8.RuneCountInString(short) >= 3 && len(short) < len(long) && strings.HasPrefix(long, short)
}

// nicknames reports whether x and y are the same given name by the table:
// one a nickname of the other, or both of the same name (Bill and Will).
func nicknames(x, y string) bool {
	fx, fy := formalNames(x), formalNames(y)
	if slices.Contains(fx, y) || slices.Contains(fy, x) {
		return true
	}
	for _, f := range fx {
		if slices.Contains(fy, f) {
			return true
		}
	}
	return false
}

// formalNames are the given names a nickname stands for, folded: a short
// list of common English and German nicknames. Short forms that are the
// start of the name (Alex, Chris, Max) need no entry. The table is split
// by the names' kind only to keep each part readable; no nickname is in
// two parts.
func formalNames(nick string) []string {
	if names := mensNicknames(nick); names != nil {
		return names
	}
	if names := germanMensNicknames(nick); names != nil {
		return names
	}
	return womensNicknames(nick)
}

// mensNicknames are men's nicknames common in English (and their
// German and Dutch twins where they share the formal name).
func mensNicknames(nick string) []string {
	switch nick {
	case "bill", "billy", "will", "willy", "liam":
		return []string{"william"}
	case "bob", "bobby", "rob", "robbie", "bert":
		return []string{"robert"}
	case "dick", "rick", "ricky", "rich", "richie":
		return []string{"richard"}
	case "jim", "jimmy", "jamie":
		return []string{"james"}
	case "jack", "johnny":
		return []string{"john"}
	case "pete", "pit", "piet":
		return []string{"peter"}
	case "mike", "mick", "micky", "micha", "michi":
		return []string{"michael"}
	case "joe", "joey":
		return []string{"joseph"}
	case "tom", "tommy":
		return []string{"thomas"}
	case "tony", "toni":
		return []string{"anthony", "anton"}
	case "ed", "eddie", "ted", "ned":
		return []string{"edward", "edmund"}
	case "charlie", "chuck":
		return []string{"charles"}
	case "harry", "hank":
		return []string{"henry"}
	case "steve":
		return []string{"stephen", "steven", "stefan"}
	case "dave", "davy":
		return []string{"david"}
	case "andy", "andi", "drew":
		return []string{"andrew", "andreas"}
	case "matt", "matze", "hias":
		return []string{"matthew", "matthias"}
	case "larry":
		return []string{"lawrence", "laurence"}
	case "jake":
		return []string{"jacob", "jakob"}
	case "nate":
		return []string{"nathan", "nathaniel"}
	}
	return nil
}

// germanMensNicknames are men's nicknames common in German.
func germanMensNicknames(nick string) []string {
	switch nick {
	case "hans", "hannes", "jo":
		return []string{"johannes", "johann"}
	case "sepp", "seppi", "beppo":
		return []string{"josef", "joseph"}
	case "heinz", "hein":
		return []string{"heinrich"}
	case "klaus", "nick", "niko":
		return []string{"nikolaus", "nicholas", "nikolai"}
	case "sascha", "sasha", "xander":
		return []string{"alexander"}
	case "wolfi":
		return []string{"wolfgang"}
	case "fritz", "friedel":
		return []string{"friedrich"}
	case "uli":
		return []string{"ulrich", "ulrike"}
	case "gerd":
		return []string{"gerhard"}
	case "manni":
		return []string{"manfred"}
	case "bernd":
		return []string{"bernhard"}
	case "willi", "wim":
		return []string{"wilhelm"}
	case "lutz":
		return []string{"ludwig"}
	case "rudi":
		return []string{"rudolf"}
	case "achim", "jochen":
		return []string{"joachim"}
	case "basti":
		return []string{"sebastian"}
	case "flo":
		return []string{"florian"}
	case "tobi":
		return []string{"tobias"}
	}
	return nil
}

// womensNicknames are women's nicknames, English and German.
func womensNicknames(nick string) []string {
	switch nick {
	case "sandra":
		return []string{"alexandra"}
	case "peggy", "maggie", "meg", "greta", "gretel":
		return []string{"margaret", "margarete", "margarethe"}
	case "liz", "lizzy", "beth", "betty", "lisa", "liese", "liesel", "sissi", "elli", "elsa":
		return []string{"elizabeth", "elisabeth"}
	case "kate", "katie", "kathy", "cathy", "kathi", "kati", "katja", "trine":
		return []string{"katharina", "katherine", "catherine", "kathrin"}
	case "tina", "christel", "christl":
		return []string{"christina", "christine"}
	case "patty", "tricia":
		return []string{"patricia"}
	case "sue", "susi", "suse":
		return []string{"susan", "susanne", "susanna"}
	case "jenny", "jen":
		return []string{"jennifer"}
	case "becky", "becca":
		return []string{"rebecca", "rebekka"}
	case "debbie", "deb":
		return []string{"deborah"}
	case "babs", "barb", "barbel":
		return []string{"barbara"}
	case "gabi", "gaby":
		return []string{"gabriele", "gabriela", "gabriel"}
	case "franzi":
		return []string{"franziska"}
	case "lena", "leni":
		return []string{"magdalena", "helena", "helene"}
	case "hanna", "hanne":
		return []string{"johanna"}
	case "vicky", "tori":
		return []string{"victoria", "viktoria"}
	case "abby":
		return []string{"abigail"}
	case "ellie", "nell":
		return []string{"eleanor", "ellen"}
	case "pam":
		return []string{"pamela"}
	case "cindy":
		return []string{"cynthia"}
	case "bea":
		return []string{"beate", "beatrix", "beatrice"}
	case "conny":
		return []string{"cornelia"}
	case "dora", "dorle":
		return []string{"dorothea"}
	}
	return nil
}

// nameWords folds a name and splits it into words: "P." gives "p",
// "Hans-Peter" stays one word.
func nameWords(s string) []string {
	return strings.FieldsFunc(model.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-' && r != '\''
	})
}

func firstWord(s string) string {
	if w := nameWords(s); len(w) > 0 {
		return w[0]
	}
	return ""
}

func hasLetter(s string) bool {
	return strings.ContainsFunc(s, unicode.IsLetter)
}
