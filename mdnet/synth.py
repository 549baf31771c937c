"""A synthetic vault for the benchmark: a seeded, deterministic campaign of any size, in two shapes.

The notes follow SPEC section 2 the way a real user's would: Spanish names with accents,
contacts in circle folders, meetings by year with people, referrals, a mix of done, cancelled
and planned ones. The same seed, sizes and shape always write the same bytes.

- `full` (the default): contacts with many properties and `- item` lists, meetings with zero to
  three referrals, and a short body.
- `light`: four to six properties a note, lists written flow-style (`with: ["[[Ana]]"]`), three
  referrals on every done meeting, and about a kilobyte of prose in each body: a vault whose
  notes cost a front-matter parser less and a reader of whole files more.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST_NAMES = (
    "José", "María", "Lucía", "Sofía", "Andrés", "Íñigo", "Begoña", "Nuria", "Raúl", "Martín",
    "Inés", "Ángela", "Álvaro", "Joaquín", "Sebastián", "Mónica", "Rocío", "Jesús", "Óscar",
    "Verónica", "Carmen", "Pilar", "Ramón", "Julián", "Iván", "Elena", "Marta", "Pablo", "Adrián",
    "Noemí", "Rubén", "Belén", "Tomás", "Ainhoa", "Héctor", "Cristina", "Víctor", "Lorena",
    "Gonzalo", "Irene",
)
SURNAMES = (
    "Núñez", "Pérez", "García", "Gómez", "Martínez", "Sánchez", "López", "Fernández", "Rodríguez",
    "Muñoz", "Jiménez", "Domínguez", "Álvarez", "Gutiérrez", "Ibáñez", "Peña", "Castaño",
    "Ordóñez", "Márquez", "Ramírez", "Benítez", "Suárez", "Vázquez", "Hernández", "Díaz",
    "Moreno", "Romero", "Navarro", "Torres", "Ruiz", "Serrano", "Blanco", "Molina", "Ortiz",
    "Delgado", "Castro", "Rubio", "Marín", "Sáez", "Cañizares",
)
CIRCLES = ("personal", "profesional", "oportunidad")
CIRCLE_FOLDERS = {"personal": "Personal", "profesional": "Profesional", "oportunidad": "Oportunidad"}
RELATIONS = {
    "personal": ("amiga de la infancia", "primo", "vecina", "compañero del club de pádel", "dentista",
                 "gestora", "monitor del gimnasio", "cuñado"),
    "profesional": ("antigua jefa", "excompañero de Telefónica", "cliente", "proveedor",
                    "colaboradora", "antiguo jefe en Indra"),
    "oportunidad": ("conocido en una boda", "compañera de viaje en el AVE", "conocido en una fiesta",
                    "ponente en un congreso"),
}
COMPANIES = ("Telefónica", "Indra", "Iberdrola", "Mercadona", "Inditex", "BBVA", "Repsol", "Ferrovial",
             "Cabify", "Glovo", "Acciona", "Mapfre", "Naturgy", "Amadeus", "Sngular")
ROLES = ("directora de producto", "ingeniero de datos", "responsable de compras", "CTO", "consultora",
         "jefe de ventas", "analista", "diseñadora", "abogado", "profesora")
PLACES = ("Café Comercial, Madrid", "La Pecera del Círculo de Bellas Artes", "Mercado de San Miguel",
          "Cafetería El Riojano", "Bar Cañas y Tapas, Sevilla", "Oficina de Ferrovial", "Casa de Ana")
OUTCOMES = ("información", "recomendación", "entrevista", "prospecto", "visibilidad")
ASKS = ("consejo", "opinión", "consejo", "consejo")
FORMATS = ("presencial", "presencial", "presencial", "llamada", "videollamada")
TIMES = ("09:00", "09:30", "10:00", "10:30", "11:15", "12:00", "13:30", "16:00", "17:30", "18:45")
SHAPES = ("full", "light")
# The light shape's bodies: notes taken after a coffee, drawn at random until about a kilobyte.
PROSE = (
    "Nos vimos con calma y le conté en qué punto está la búsqueda, sin pedirle nada concreto.",
    "Me explicó cómo se organizan los equipos de producto en su empresa y quién decide las contrataciones.",
    "Insistió en que el salto desde la consultoría se entiende mejor si enseño un caso propio de principio a fin.",
    "Le pareció buena idea preparar una historia corta sobre el proyecto de facturación que lideré el año pasado.",
    "Hablamos de los errores habituales en las primeras entrevistas y de cómo evitar sonar a vendedor.",
    "Recomendó leer un par de libros sobre descubrimiento de producto antes de la próxima conversación.",
    "Comentó que muchas vacantes nunca se publican y que casi todas se cubren por recomendación.",
    "Quedamos en que le escribiré dentro de unas semanas para contarle cómo han ido las reuniones.",
    "Se ofreció a revisar mi perfil y a decirme con franqueza qué partes no se entienden desde fuera.",
    "Me habló de su propio cambio de carrera, de lo que le costó y de lo que haría de otra manera.",
    "Mencionó a varias personas que podrían darme una visión distinta, sobre todo en empresas medianas.",
    "Acabamos hablando de Madrid, de los precios y de lo difícil que es encontrar tiempo para todo.",
    "Le agradecí el rato y le prometí que, si alguna vez necesita algo de mi sector, cuente conmigo.",
    "La conversación fue más larga de lo previsto y se notaba que le apetecía ayudar de verdad.",
)


@dataclass(frozen=True, slots=True)
class Synth:
    """What was written: the folder, the notes' count and one planned meeting in the week to edit."""

    root: Path
    notes: int
    planned_in_window: str  # vault-relative path of a planned, timed meeting due within the week


def names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct full names (first name and two surnames), in a seeded order."""
    every = [f"{f} {s1} {s2}" for f in FIRST_NAMES for s1 in SURNAMES for s2 in SURNAMES if s1 != s2]
    if count > len(every):
        raise ValueError(f"at most {len(every)} distinct contacts")
    return rng.sample(every, count)


def link(name: str) -> str:
    return f'"[[{name}]]"'


def campaign_note(start: date) -> str:
    return (
        "---\n"
        "type: campaña\n"
        "goal: Pasar de la consultoría a dirigir un equipo de producto en Madrid\n"
        "status: activa\n"
        f"start: {start.isoformat()}\n"
        "pitch: Llevo diez años en consultoría tecnológica. Busco consejo para dar el salto a producto.\n"
        "meetings_per_week: 3\n"
        "referrals_per_meeting: 2\n"
        "follow_up_days: 45\n"
        "thank_within_days: 1\n"
        "timezone: Europe/Madrid\n"
        "locale: es\n"
        "---\n\n"
        "# Campaña de networking\n\nReuniones informales, cara a cara, pidiendo consejo.\n"
    )


def contact_note(rng: random.Random, name: str, circle: str, referrer: str | None, created: date) -> str:
    first = name.split()[0]
    relation = rng.choice(RELATIONS[circle])
    lines = [
        "---",
        f"type: {rng.choice(('contacto', 'contact', 'persona'))}",
        f"circle: {circle}",
        f"relation: {relation}",
        f"closeness: {rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))}",
    ]
    if referrer:
        lines.append(f"referred_by: {link(referrer)}")
    if circle != "personal" or rng.random() < 0.3:
        lines += [f"company: {rng.choice(COMPANIES)}", f"role: {rng.choice(ROLES)}"]
    if circle == "oportunidad":
        lines.append(f"met_at: boda de Marta en Toledo, {created.year}")
    slug = first.lower().translate(str.maketrans("áéíóúñ", "aeioun"))
    lines += [
        f"email: {slug}.{rng.randrange(10_000):04d}@example.es",
        f"phone: +34 6{rng.randrange(10):d}{rng.randrange(10):d} {rng.randrange(1000):03d} {rng.randrange(1000):03d}",
        f"created: {created.isoformat()}",
        "tags:",
        f"  - {circle}",
        "  - networking",
    ]
    if rng.random() < 0.02:
        lines.append(f"status: {rng.choice(('pausado', 'no-contactar'))}")
    lines += ["---", "", f"# {name}", "", f"{first}: {relation}. Hablar de producto y equipos.", ""]
    return "\n".join(lines)


def meeting_note(rng: random.Random, people: list[str], when: date, at: str | None, status: str,
                 referrals: list[str]) -> str:
    lines = [
        "---",
        f"type: {rng.choice(('reunión', 'meeting', 'cita'))}",
        "with:",
        *(f"  - {link(p)}" for p in people),
        f"date: {when.isoformat()}" + (f"T{at}" if at else ""),
        f"duration: {rng.choice((30, 45, 60, 60, 90))}",
        f"status: {status}",
        f"ask: {rng.choice(ASKS)}",
        f"format: {rng.choice(FORMATS)}",
        f"location: {rng.choice(PLACES)}",
    ]
    if status == "hecha":
        lines += ["referrals:", *(f"  - {link(r)}" for r in referrals)] if referrals else ["referrals: []"]
        lines.append(f"thanked: {'true' if rng.random() < 0.97 else 'false'}")
        lines.append(f"thanked_referrer: {'true' if rng.random() < 0.9 else 'false'}")
        lines.append(f"outcome: [{', '.join(rng.sample(OUTCOMES, rng.randrange(1, 3)))}]")
    lines += ["---", "", f"# Reunión con {' y '.join(people)}", "",
              "- Situación explicada; consejo sobre cómo entrar en producto.", ""]
    return "\n".join(lines)


def prose(rng: random.Random, size: int = 1000) -> str:
    """Paragraphs of sentences from PROSE, none twice, at least `size` bytes of UTF-8 (or all of them)."""
    sentences: list[str] = []
    length = 0
    for sentence in rng.sample(PROSE, len(PROSE)):
        if length >= size:
            break
        sentences.append(sentence)
        length += len(sentence.encode("utf-8")) + 1
    return "\n\n".join(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))


def light_campaign_note(start: date) -> str:
    return (
        "---\n"
        "type: campaña\n"
        "goal: Pasar de la consultoría a dirigir un equipo de producto en Madrid\n"
        f"start: {start.isoformat()}\n"
        "timezone: Europe/Madrid\n"
        "locale: es\n"
        "---\n\n"
        "# Campaña de networking\n\nReuniones informales, cara a cara, pidiendo consejo.\n"
    )


def light_contact_note(rng: random.Random, name: str, circle: str, referrer: str | None,
                       created: date) -> str:
    """Four to six properties: the four every contact has, a referrer when there is one, and a
    closeness for about half of them."""
    lines = [
        "---",
        f"type: {rng.choice(('contacto', 'contact', 'persona'))}",
        f"circle: {circle}",
        f"relation: {rng.choice(RELATIONS[circle])}",
        f"created: {created.isoformat()}",
    ]
    if referrer:
        lines.append(f"referred_by: {link(referrer)}")
    if rng.random() < 0.5:
        lines.append(f"closeness: {rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))}")
    lines += ["---", "", f"# {name}", "", prose(rng), ""]
    return "\n".join(lines)


def light_meeting_note(rng: random.Random, people: list[str], when: date, at: str | None, status: str,
                       referrals: list[str]) -> str:
    """Four properties, and two more on a done meeting (its referrals and whether they were
    thanked) or one on a planned one (its duration)."""
    lines = [
        "---",
        f"type: {rng.choice(('reunión', 'meeting', 'cita'))}",
        f"with: [{', '.join(link(p) for p in people)}]",
        f"date: {when.isoformat()}" + (f"T{at}" if at else ""),
        f"status: {status}",
    ]
    if status == "hecha":
        lines.append(f"referrals: [{', '.join(link(r) for r in referrals)}]")
        lines.append(f"thanked: {'true' if rng.random() < 0.97 else 'false'}")
    elif status == "planeada":
        lines.append(f"duration: {rng.choice((30, 45, 60, 60, 90))}")
    lines += ["---", "", f"# Reunión con {' y '.join(people)}", "", prose(rng), ""]
    return "\n".join(lines)


def write(root: Path, contacts: int = 10_000, meetings: int = 50_000, seed: int = 20261127,
          today: date = date(2026, 11, 27), shape: str = "full") -> Synth:
    """Write a campaign of `contacts` and `meetings` below `root` (made if missing), in `shape`."""
    if shape not in SHAPES:
        raise ValueError(f"shape is one of {', '.join(SHAPES)}, not {shape!r}")
    light = shape == "light"
    rng = random.Random(seed)
    start = today - timedelta(days=3 * 365)
    people = names(rng, contacts)
    files: dict[str, str] = {"Campaña.md": light_campaign_note(start) if light else campaign_note(start)}
    for i, name in enumerate(people):
        circle = CIRCLES[0] if i < contacts // 5 else rng.choice(CIRCLES)
        # The first fifth are the people listed at the start; later ones were referred by earlier ones.
        referrer = people[rng.randrange(i)] if i >= contacts // 5 and rng.random() < 0.6 else None
        created = start + timedelta(days=int(i / max(contacts, 1) * 3 * 365))
        note = light_contact_note if light else contact_note
        files[f"Contactos/{CIRCLE_FOLDERS[circle]}/{name}.md"] = note(rng, name, circle, referrer, created)
    planned_in_window = None
    for i in range(meetings):
        day = start + timedelta(days=int(i / max(meetings, 1) * (3 * 365 + 30)))
        who = [people[rng.randrange(contacts)]]
        if rng.random() < 0.08:
            who.append(people[rng.randrange(contacts)])
        if day > today:
            status = "planeada"
        elif day > today - timedelta(days=3) and rng.random() < 0.5:
            status = "planeada"  # not yet recorded: the agenda asks what happened
        else:
            status = "cancelada" if rng.random() < 0.04 else "hecha"
        # The light shape's done meetings name three people each, to weigh its flow-style lists.
        count = 3 if light else rng.choice((0, 1, 2, 2, 2, 3))
        referrals = [people[rng.randrange(contacts)] for _ in range(count)]
        if not light and status == "hecha" and rng.random() < 0.01:
            referrals.append(f"{rng.choice(FIRST_NAMES)} de {rng.choice(COMPANIES)}")  # not yet a note
        path = f"Reuniones/{day.year}/{day.isoformat()} {who[0]}.md"
        n = 2
        while path in files:
            path = f"Reuniones/{day.year}/{day.isoformat()} {who[0]} {n}.md"
            n += 1
        at = rng.choice(TIMES) if rng.random() < 0.8 else None
        if planned_in_window is None and status == "planeada" and today < day <= today + timedelta(days=6):
            planned_in_window, at = path, "10:30"
        files[path] = (light_meeting_note if light else meeting_note)(rng, who, day, at, status, referrals)
    for folder in sorted({(root / rel).parent for rel in files}):
        folder.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).write_bytes(text.encode("utf-8"))
    return Synth(root, len(files), planned_in_window or "")
