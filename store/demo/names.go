package demo

// The lists are functions so that no run can change another's data.

// Given names by the era of birth, so that a 90-year-old is more likely a
// Dorothy than an Isla. The lists mix the communities of a UK town.
func femaleNames(era int) []string {
	switch era {
	case 0: // born before 1965
		return []string{"Margaret", "Patricia", "Susan", "Christine", "Jean", "Elizabeth", "Mary", "Barbara",
			"Janet", "Linda", "Sandra", "Carol", "Valerie", "Anne", "Joan", "Brenda", "Pauline", "Sheila",
			"Maureen", "Irene", "Doreen", "Jennifer", "Kathleen", "Dorothy", "Gillian", "Marion", "Sylvia",
			"Rosemary", "Eileen", "Shirley", "Beryl", "Veronica", "Bridget", "Gwen", "Myrtle", "Hyacinth",
			"Gurdeep", "Parveen", "Kamala", "Teresa", "Halina"}
	case 1: // 1965 to 1989
		return []string{"Sarah", "Claire", "Nicola", "Emma", "Lisa", "Joanne", "Michelle", "Helen", "Samantha",
			"Karen", "Amanda", "Rachel", "Louise", "Julie", "Alison", "Kelly", "Victoria", "Rebecca", "Laura",
			"Kerry", "Donna", "Catherine", "Deborah", "Tracey", "Lucy", "Zoë", "Siân", "Nia", "Bethan",
			"Shabana", "Nasreen", "Sunita", "Anjali", "Funmilayo", "Abena", "Agnieszka", "Katarzyna",
			"Siobhan", "Niamh", "Mei", "Renée"}
	default: // 1990 onwards
		return []string{"Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Florence", "Grace",
			"Sophia", "Emily", "Ella", "Poppy", "Evie", "Willow", "Rosie", "Sienna", "Charlotte", "Chloë",
			"Jessica", "Megan", "Hannah", "Holly", "Aisha", "Fatima", "Maryam", "Zara", "Amira", "Hafsa",
			"Priya", "Anaya", "Simran", "Chiamaka", "Adaeze", "Ama", "Zofia", "Maja", "Erin", "Elif", "Ffion"}
	}
}

func maleNames(era int) []string {
	switch era {
	case 0:
		return []string{"John", "David", "Michael", "Peter", "Robert", "Brian", "Anthony", "William", "Alan",
			"Kenneth", "James", "Roger", "Keith", "Colin", "Terence", "Derek", "Raymond", "Barry", "Geoffrey",
			"Dennis", "Malcolm", "Graham", "Trevor", "Gordon", "Stanley", "Ronald", "Leslie", "Clifford",
			"Patrick", "Gareth", "Dafydd", "Desmond", "Winston", "Delroy", "Mohammed", "Abdul", "Gurmit",
			"Harjit", "Rajesh", "Stanisław", "Seamus"}
	case 1:
		return []string{"Paul", "Mark", "Andrew", "Stephen", "Richard", "Christopher", "Darren", "Lee", "Jason",
			"Simon", "Matthew", "Neil", "Gary", "Craig", "Martin", "Wayne", "Daniel", "Jonathan", "Steven",
			"Stuart", "Carl", "Ian", "Sean", "Dean", "Rhys", "Owain", "Ciaran", "Declan", "Imran", "Tariq",
			"Asif", "Sanjay", "Vikram", "Kwame", "Chinedu", "Oluwaseun", "Tomasz", "Piotr", "Wei", "Dimitris"}
	default:
		return []string{"Oliver", "George", "Noah", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie",
			"Henry", "Theodore", "Freddie", "Jack", "Charlie", "Finley", "Alfie", "Jacob", "Thomas", "Joshua",
			"Luke", "Callum", "Ryan", "Ethan", "Liam", "Kai", "Reuben", "Ibrahim", "Yusuf", "Zayn", "Ayaan",
			"Arjun", "Rohan", "Harvir", "Kofi", "Tobi", "Emeka", "Jakub", "Mateusz", "Ioan", "Cian", "Łukasz"}
	}
}

// commonSurnames are drawn more often, as in the population.
func commonSurnames() []string {
	return []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
		"Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
		"Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin"}
}

func surnames() []string {
	return []string{"Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
		"Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett",
		"Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell",
		"Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis",
		"Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray",
		"Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
		"Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray",
		"Dixon", "Harvey", "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard",
		"Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day",
		"Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball",
		"Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong",
		"Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory",
		"Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid",
		"Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy",
		"Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry",
		"Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman",
		"Warren", "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson",
		"Curtis", "Hopkins", "O'Connor", "Harper", "Coleman", "Watkins", "Moss", "McCarthy", "Chambers",
		"O'Neill", "Griffin", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne", "Johnston", "Gordon", "Doyle",
		"Wallace", "George", "Jordan", "Hutchinson", "Rahman", "Mahmood", "Iqbal", "Akhtar", "Chowdhury",
		"Mistry", "Sharma", "Nowak", "Kowalczyk", "Okafor", "Mensah", "Adeyemi", "Okoye", "Asante", "Boateng",
		"Osei", "Mohamed", "Abdi", "Hassan", "Chen", "Wong", "Li", "Nguyen", "Tran", "Kaya", "Yılmaz",
		"Papadopoulos", "Rossi", "Silva", "Santos", "Ferreira", "ap Rhys", "Lloyd-Williams", "Fitzgerald",
		"MacLeod", "Campbell-Hart", "Ó Súilleabháin"}
}

// street is a street in the fictional town with its postcode sector. The
// postcode area MB does not exist in the UK.
type street struct {
	name     string
	town     string
	outward  string // "MB2"
	sector   int
	houses   int    // highest house number
	block    string // a block of flats on the street, if any
	village  bool   // named houses are more common
	careHome string // a care home on the street, if any
}

func streets() []street {
	const town, village = "Meadowbank", "Netherford"
	return []street{
		{name: "High Street", town: town, outward: "MB1", sector: 1, houses: 90},
		{name: "Church Street", town: town, outward: "MB1", sector: 1, houses: 60},
		{name: "Market Place", town: town, outward: "MB1", sector: 1, houses: 30},
		{name: "Station Road", town: town, outward: "MB1", sector: 2, houses: 140},
		{name: "Bridge Street", town: town, outward: "MB1", sector: 2, houses: 70},
		{name: "Mill Lane", town: town, outward: "MB1", sector: 3, houses: 50, block: "Miller's Court"},
		{name: "King Street", town: town, outward: "MB1", sector: 3, houses: 80},
		{name: "Queen Street", town: town, outward: "MB1", sector: 3, houses: 80},
		{name: "Chapel Row", town: town, outward: "MB1", sector: 4, houses: 24},
		{name: "Castle Street", town: town, outward: "MB1", sector: 4, houses: 66},
		{name: "Meadow Way", town: town, outward: "MB2", sector: 5, houses: 120},
		{name: "Orchard Close", town: town, outward: "MB2", sector: 5, houses: 28},
		{name: "Beech Avenue", town: town, outward: "MB2", sector: 5, houses: 110},
		{name: "Willow Crescent", town: town, outward: "MB2", sector: 6, houses: 75},
		{name: "Hawthorn Drive", town: town, outward: "MB2", sector: 6, houses: 96},
		{name: "Rowan Close", town: town, outward: "MB2", sector: 6, houses: 22},
		{name: "Sycamore Road", town: town, outward: "MB2", sector: 7, houses: 130},
		{name: "Larch Grove", town: town, outward: "MB2", sector: 7, houses: 40},
		{name: "Elm Park", town: town, outward: "MB2", sector: 8, houses: 60},
		{name: "Primrose Walk", town: town, outward: "MB2", sector: 8, houses: 36},
		{name: "Victoria Road", town: town, outward: "MB3", sector: 1, houses: 150, careHome: "Beechwood House Care Home"},
		{name: "Albert Terrace", town: town, outward: "MB3", sector: 1, houses: 48},
		{name: "Gladstone Street", town: town, outward: "MB3", sector: 2, houses: 90},
		{name: "Railway Cottages", town: town, outward: "MB3", sector: 2, houses: 16},
		{name: "Canal Side", town: town, outward: "MB3", sector: 3, houses: 40, block: "Riverside Apartments"},
		{name: "Foundry Lane", town: town, outward: "MB3", sector: 3, houses: 54},
		{name: "Wharf Road", town: town, outward: "MB3", sector: 4, houses: 70, block: "Brunel House"},
		{name: "Kingfisher Way", town: town, outward: "MB3", sector: 4, houses: 88},
		{name: "Heron Drive", town: town, outward: "MB3", sector: 5, houses: 64, block: "Kestrel Court"},
		{name: "Church Lane", town: village, outward: "MB7", sector: 2, houses: 30, village: true},
		{name: "The Green", town: village, outward: "MB7", sector: 2, houses: 18, village: true},
		{name: "School Lane", town: village, outward: "MB7", sector: 3, houses: 26, village: true},
		{name: "Back Lane", town: village, outward: "MB7", sector: 3, houses: 20, village: true},
		{name: "Manor Farm Close", town: village, outward: "MB7", sector: 4, houses: 24, village: true},
	}
}

func houseNames() []string {
	return []string{"Rose Cottage", "The Old Forge", "Orchard House", "Ivy Cottage", "The Laurels", "Hillcrest",
		"Woodside", "Brook House", "The Old School House", "Yew Tree Cottage", "Stable Cottage", "Field View"}
}
