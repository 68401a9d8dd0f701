// Placeholder until the Resolver lands.
