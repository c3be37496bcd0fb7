// Generac
