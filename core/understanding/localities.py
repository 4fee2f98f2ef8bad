"""Well-known localities of the three metros, which GeoNames does not list as places.

Callers often answer "Andheri" or "Whitefield" for their city. Each locality stands for its city by the
city's GeoNames name, so the policy still decides whether that city is served. Names shared by many Indian
cities ("Laxmi Nagar", "Model Town") are left out on purpose.
"""

from __future__ import annotations

LOCALITIES: dict[str, tuple[str, ...]] = {
    "Delhi": (
        "Dwarka", "Janakpuri", "Saket", "Lajpat Nagar", "Connaught Place", "Vasant Kunj", "Mayur Vihar",
        "Pitampura", "Shahdara", "Chandni Chowk", "Hauz Khas", "Greater Kailash", "Preet Vihar", "Uttam Nagar",
        "Rajouri Garden", "Paschim Vihar", "Kalkaji", "Okhla", "Sarita Vihar", "Vasant Vihar", "Defence Colony",
        "Munirka", "Nehru Place", "Shalimar Bagh", "Chanakyapuri", "Paharganj", "Dilshad Garden", "Jamia Nagar",
        "Badarpur", "Sangam Vihar", "Karol Bagh", "Rohini", "Mehrauli", "Vikaspuri", "Punjabi Bagh",
    ),
    "Mumbai": (
        "Andheri", "Bandra", "Borivali", "Dadar", "Kurla", "Malad", "Goregaon", "Kandivali", "Powai", "Colaba",
        "Juhu", "Worli", "Chembur", "Ghatkopar", "Mulund", "Vile Parle", "Santacruz", "Jogeshwari", "Dahisar",
        "Vikhroli", "Bhandup", "Byculla", "Lower Parel", "Matunga", "Wadala", "Mahim", "Versova", "Lokhandwala",
        "Malabar Hill", "Churchgate", "Vashi", "Nerul", "Belapur", "Kharghar", "Mira Road", "Dharavi",
    ),
    "Bengaluru": (
        "Whitefield", "Koramangala", "Indiranagar", "Indira Nagar", "Jayanagar", "JP Nagar", "HSR Layout",
        "BTM Layout", "Marathahalli", "Electronic City", "Hebbal", "Yelahanka", "Malleshwaram", "Rajajinagar",
        "Basavanagudi", "Banashankari", "Bellandur", "Sarjapur", "KR Puram", "Yeshwanthpur", "Bannerghatta",
        "Domlur", "Ulsoor", "Frazer Town", "Hennur", "Kammanahalli", "Madiwala", "Peenya", "Jalahalli",
        "RT Nagar", "Sadashivanagar", "Kengeri", "Mahadevapura", "Brookefield", "Hoodi",
    ),
}  # fmt: skip
