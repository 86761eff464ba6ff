// Tests against the real stack wait on brokers, databases and service processes.
jest.setTimeout(120_000);
