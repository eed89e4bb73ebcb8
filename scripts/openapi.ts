// Writes docs/openapi/<service>.json from what each service serves (run through scripts/openapi.sh,
// which starts Kafka and the MongoDB-wire server when KAFKA_BROKER / MONGO_URI are not set).
import { servedDocuments, writeDocuments } from '../tests/openapi/documents.ts';

const documents = await servedDocuments();
await writeDocuments(documents);
console.log(`wrote docs/openapi/{${[...documents.keys()].join(',')}}.json`);
