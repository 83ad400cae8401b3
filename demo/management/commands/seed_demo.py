import re

from django.core.management.base import BaseCommand

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo

# Words after which the rest of a group is a complement that keeps its number ("groupes de
# travail", "inscriptions à des parcours"); a word ending in "s" that is the same in the singular.
_LINKS = {"à", "au", "aux", "avec", "de", "des", "du", "en", "les", "pour", "sur", "un", "une"}
_INVARIABLE = {"avis", "cours", "parcours", "fois", "mois", "pays"}
_WORD = re.compile(r"^(\W*)(.*?)(\W*)$")


def _singular_word(word):
    lead, core, trail = _WORD.match(word).groups()
    if core.lower() in _INVARIABLE:
        return word
    for plural, singular in (("·rices", "·rice"), ("·les", "·le"), ("·nes", "·ne"), ("·es", "·e")):
        if core.endswith(plural):
            return lead + core[: -len(plural)] + singular + trail
    if core.endswith("aux"):
        return lead + core[:-3] + "al" + trail
    if core.endswith("s"):
        return lead + core[:-1] + trail
    return word


def singular(label):
    """The singular of a plural French label ("postes vacants" → "poste vacant", "groupes de
    travail" → "groupe de travail"): its complements keep their number."""
    words, after_link = [], False
    for word in label.split(" "):
        elided = re.match(r"^[dlDL][’']", word)
        if word.lower() in _LINKS or elided:
            words.append(word)
            after_link = not elided
            continue
        words.append(word if after_link else _singular_word(word))
        after_link = False
    return " ".join(words)


def figure(n, label):
    """ "0 dispositif", "1 séquence", "2 séquences": French takes the singular below 2."""
    return f"{n} {label if abs(n) >= 2 else singular(label)}"


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent : peut être relancé)."

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(", ".join(figure(n, label) for label, n in counts.items()))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for email, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email}")
