"""A synthetic vault for the benchmark: a seeded, deterministic campaign of any size.

The notes follow SPEC section 2 the way a real user's would: Spanish names with accents,
contacts in circle folders with several properties, meetings by year with people, referrals,
a mix of done, cancelled and planned ones, and a short body. The same seed and sizes always
write the same bytes.
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


def write(root: Path, contacts: int = 10_000, meetings: int = 50_000, seed: int = 20261127,
          today: date = date(2026, 11, 27)) -> Synth:
    """Write a campaign of `contacts` and `meetings` below `root` (made if missing)."""
    rng = random.Random(seed)
    start = today - timedelta(days=3 * 365)
    people = names(rng, contacts)
    files: dict[str, str] = {"Campaña.md": campaign_note(start)}
    for i, name in enumerate(people):
        circle = CIRCLES[0] if i < contacts // 5 else rng.choice(CIRCLES)
        # The first fifth are the people listed at the start; later ones were referred by earlier ones.
        referrer = people[rng.randrange(i)] if i >= contacts // 5 and rng.random() < 0.6 else None
        created = start + timedelta(days=int(i / max(contacts, 1) * 3 * 365))
        files[f"Contactos/{CIRCLE_FOLDERS[circle]}/{name}.md"] = contact_note(rng, name, circle, referrer, created)
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
        referrals = [people[rng.randrange(contacts)] for _ in range(rng.choice((0, 1, 2, 2, 2, 3)))]
        if status == "hecha" and rng.random() < 0.01:
            referrals.append(f"{rng.choice(FIRST_NAMES)} de {rng.choice(COMPANIES)}")  # not yet a note
        path = f"Reuniones/{day.year}/{day.isoformat()} {who[0]}.md"
        n = 2
        while path in files:
            path = f"Reuniones/{day.year}/{day.isoformat()} {who[0]} {n}.md"
            n += 1
        at = rng.choice(TIMES) if rng.random() < 0.8 else None
        if planned_in_window is None and status == "planeada" and today < day <= today + timedelta(days=6):
            planned_in_window, at = path, "10:30"
        text = meeting_note(rng, who, day, at, status, referrals)
        files[path] = text
    for folder in sorted({(root / rel).parent for rel in files}):
        folder.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).write_bytes(text.encode("utf-8"))
    return Synth(root, len(files), planned_in_window or "")
