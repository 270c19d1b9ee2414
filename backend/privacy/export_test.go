package privacy

// ListItems is listItems, for the external tests.
var ListItems = listItems
