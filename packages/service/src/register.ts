// Loaded first, with `node --import @warren/service/register --import @warren/telemetry/register`:
// it completes the environment from the `.env` files and the service's prefixed variables before
// anything reads a setting (the telemetry preload reads OTEL_* next).
import { loadServiceEnvironment } from './environment.ts';

loadServiceEnvironment();
