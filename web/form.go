package web

import (
	"sort"

	"github.com/gofiber/fiber/v2"

	"ardoise/profile"
)

// formValues reads the named fields of a posted form, for re-display.
func formValues(c *fiber.Ctx, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = c.FormValue(n)
	}
	return m
}

// territoryFrom reads the territory fields of a form.
func territoryFrom(f map[string]string) profile.Territory {
	return profile.Territory{
		Academie: f["territory.academie"], Departement: f["territory.departement"],
		Circonscription: f["territory.circonscription"], UAI: f["territory.uai"],
	}
}

var territoryFields = []string{"territory.academie", "territory.departement", "territory.circonscription", "territory.uai"}

func sortStrings(s []string) { sort.Strings(s) }
