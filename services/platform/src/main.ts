// The one launcher: `npm start` (embedded, every service in this process) and every container of
// the distributed mode (STRATA_SERVICES picks the service, NATS_URL points at the cluster).
import { runLauncher } from "./launcher.js";

void runLauncher();
