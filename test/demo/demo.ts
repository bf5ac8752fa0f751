/**
 * npm run demo — a tour of the data path against a running platform (`npm start` in another
 * terminal). It creates a namespace and a collection with the built-in lexical text feature,
 * ingests a few hundred text documents in one batch, waits for it, and searches them through a
 * retriever: by text, with a metadata filter, and "more like this" by document id.
 *
 * Environment: STRATA_URL (default http://127.0.0.1:8080), STRATA_API_KEY (default: the admin key
 * in STRATA_DATA_DIR/bootstrap.json, STRATA_DATA_DIR defaulting to .strata).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

const baseUrl = (process.env.STRATA_URL ?? "http://127.0.0.1:8080").replace(/\/$/, "");
const TEXT_FEATURE = "strata://text-hash@v1/embedding";

async function apiKey(): Promise<string> {
  if (process.env.STRATA_API_KEY) return process.env.STRATA_API_KEY;
  const file = join(process.env.STRATA_DATA_DIR ?? ".strata", "bootstrap.json");
  try {
    return (JSON.parse(await readFile(file, "utf8")) as { api_key: string }).api_key;
  } catch {
    throw new Error(`no API key: set STRATA_API_KEY, or run \`npm start\` first so that ${file} exists`);
  }
}

function step(title: string): void {
  console.log(`\n== ${title}`);
}

function show(label: string, value: unknown): void {
  console.log(`   ${label}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
}

// Three topics, so a search has clear right answers.
const TOPICS: Record<string, { words: string[]; sentences: string[] }> = {
  astronomy: {
    words: [
      "telescope",
      "galaxy",
      "nebula",
      "orbit",
      "comet",
      "planet",
      "star",
      "eclipse",
      "asteroid",
      "moon",
    ],
    sentences: [
      "observers tracked the {a} near the {b}",
      "a bright {a} crossed the {b} at night",
      "the {a} and the {b} were photographed",
    ],
  },
  cooking: {
    words: ["garlic", "basil", "pasta", "oven", "sauce", "butter", "onion", "risotto", "saffron", "dough"],
    sentences: [
      "simmer the {a} with the {b}",
      "knead the {a} then add {b}",
      "a recipe for {a} finished with {b}",
    ],
  },
  sailing: {
    words: ["harbour", "mast", "keel", "tide", "anchor", "rudder", "regatta", "jib", "mooring", "gale"],
    sentences: [
      "the crew checked the {a} before the {b}",
      "a {a} broke during the {b}",
      "sailors waited for the {a} at the {b}",
    ],
  },
};

function documents(count: number) {
  const topics = Object.keys(TOPICS);
  return Array.from({ length: count }, (_, i) => {
    const topic = topics[i % topics.length] ?? "astronomy";
    const { words, sentences } = TOPICS[topic] ?? { words: [], sentences: [] };
    // Topic, sentence and word pair all vary, so (almost) no two notes are the same.
    const round = Math.floor(i / 3);
    const first = words[round % words.length] ?? "";
    const second = words[(round + 1 + Math.floor(round / words.length)) % words.length] ?? "";
    const text = (sentences[Math.floor(i / 30) % sentences.length] ?? "")
      .replace("{a}", first)
      .replace("{b}", second);
    return { document_id: `note-${i}`, text, metadata: { topic, number: i } };
  });
}

async function main(): Promise<void> {
  const key = await apiKey();
  let namespace: string | undefined;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(namespace === undefined ? {} : { "x-namespace": namespace }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new Error(`cannot reach ${baseUrl}: is the platform running (\`npm start\`)?`);
    }
    const answer = (await response.json()) as T;
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  };

  step("Who am I");
  const whoami = await call<{ organization_id: string; permissions: string[] }>("GET", "/v1/whoami");
  show("organization", whoami.organization_id);
  show("permissions", whoami.permissions);

  step("Create a namespace");
  const created = await call<{ namespace_id: string; namespace_name: string }>("POST", "/v1/namespaces", {
    namespace_name: `demo-${Date.now().toString(36)}`,
    description: "npm run demo",
  });
  namespace = created.namespace_id;
  show("namespace", `${created.namespace_name} (${created.namespace_id})`);

  step("Create a collection with the built-in lexical text feature");
  const collection = await call<{ collection_id: string }>("POST", "/v1/collections", {
    collection_name: "notes",
    features: [{ feature_uri: TEXT_FEATURE, dimensions: 512, metric: "cosine" }],
    metadata_schema: {
      type: "object",
      properties: { topic: { type: "string" }, number: { type: "integer" } },
      required: ["topic"],
    },
    indexed_fields: ["topic"],
  });
  show("collection", collection.collection_id);
  show("feature", `${TEXT_FEATURE}: filled from each document's text (lexical, not semantic)`);

  step("Ingest 300 text documents in one batch");
  const docs = documents(300);
  show("example", docs[0]);
  const started = performance.now();
  const batch = await call<{ batch_id: string; status: string }>(
    "POST",
    `/v1/collections/${collection.collection_id}/documents/batch`,
    { documents: docs },
  );
  show("batch", `${batch.batch_id} (${batch.status})`);
  let progress: { status: string; succeeded: number; failed: number; total: number };
  for (;;) {
    progress = await call("GET", `/v1/batches/${batch.batch_id}`);
    if (progress.status === "completed" || progress.status === "failed") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  show(
    "finished",
    `${progress.status}: ${progress.succeeded}/${progress.total} written, ${progress.failed} failed, in ${Math.round(performance.now() - started)} ms`,
  );

  step("Create a retriever over the collection");
  const retriever = await call<{ retriever_id: string }>("POST", "/v1/retrievers", {
    retriever_name: "notes-search",
    collection_ids: [collection.collection_id],
    feature_uri: TEXT_FEATURE,
    top_k: 5,
  });
  show("retriever", retriever.retriever_id);

  type Results = {
    results: Array<{ document_id: string; score: number; metadata: { topic: string }; _source_tier: string }>;
  };
  const print = (answer: Results) => {
    for (const hit of answer.results) {
      const text = docs.find((d) => d.document_id === hit.document_id)?.text ?? "";
      console.log(
        `   ${hit.score.toFixed(3)}  ${hit.document_id.padEnd(9)} [${hit.metadata.topic}, ${hit._source_tier}] ${text}`,
      );
    }
  };

  step('Search by text: "a comet near the planet"');
  print(
    await call<Results>("POST", `/v1/retrievers/${retriever.retriever_id}/execute`, {
      query: { text: "a comet near the planet" },
    }),
  );

  step('Search by text with a filter: "garlic" where metadata.topic = cooking, top 3');
  print(
    await call<Results>("POST", `/v1/retrievers/${retriever.retriever_id}/execute`, {
      query: { text: "garlic" },
      filters: { AND: [{ field: "metadata.topic", operator: "eq", value: "cooking" }] },
      top_k: 3,
    }),
  );

  step("More like this: documents near note-2");
  show("note-2", docs[2]?.text);
  print(
    await call<Results>("POST", `/v1/retrievers/${retriever.retriever_id}/execute`, {
      query: { document_id: "note-2" },
      top_k: 3,
    }),
  );

  console.log(`\nDone. Everything lives in namespace ${namespace}; delete it with`);
  console.log(`   curl -X DELETE -H "Authorization: Bearer $KEY" ${baseUrl}/v1/namespaces/${namespace}`);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
